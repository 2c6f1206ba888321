import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// The hand-written JSON of the hot answers says exactly what their Codable form says.
@Suite("Wire JSON values match Codable")
struct WireJSONValuesTests {
    static func codable(_ value: some Encodable) throws -> String {
        JSONWriter(indent: nil, sortKeys: true).string(try JSONParser.parse(try Wire.encodeString(value)))
    }

    static func direct(_ value: some WireJSONValue) -> String {
        JSONWriter(indent: nil, sortKeys: true).string(value.wireJSON)
    }

    @Test("claim answers, batches, groups and cursors, with and without optional fields")
    func same() async throws {
        let f = try await EngineFixture(hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxFailPercentage: 12.5, pauseAfter: [2])
        let claim = try await f.claim("x", key: "k1")
        #expect(claim.batch?.hostvars?.isEmpty == false)
        #expect(try Self.codable(claim) == Self.direct(claim))
        let done = try await f.complete(1, ["web01": .failed])
        #expect(try Self.codable(done) == Self.direct(done))
        let cursor = try await f.engine.cursors.cursor("c")
        #expect(try Self.codable(cursor) == Self.direct(cursor))
        let bare = ClaimResponse(cursor: "c", cursorState: .done, hasMore: false, batch: nil, progress: CursorProgress())
        #expect(try Self.codable(bare) == Self.direct(bare))
    }
}
