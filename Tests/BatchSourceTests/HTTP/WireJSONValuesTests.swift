import Foundation
import HTTPTypes
import Hummingbird
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

    /// The claim body with the batch's inventory copied in as encoded bytes says what the
    /// in-process answer says, for a batch with vars, groups, escapes and hosts without vars.
    @Test("a claim body with the cached inventory decodes to the in-process answer")
    func splicedClaim() async throws {
        let f = try await EngineFixture(hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "3", maxInFlight: 2)
        for key in ["k1", "k2", "k1"] {
            let answer = try await f.engine.cursors.claimAnswer("c", ClaimRequest(consumer: "x-\(key)", claimKey: key))
            let inProcess = try answer.withInventory()
            #expect(inProcess.batch?.hostvars?.isEmpty == false)
            #expect(inProcess.batch?.groups?["all"] != nil)
            // The encoded inventory is written by its own code: it must say what the batch's
            // own page (built from values) says.
            let page = try await f.engine.cursors.batch("c", id: inProcess.batch?.batchId ?? 0)
            #expect(page.groups == inProcess.batch?.groups)
            #expect(page.hostvars == inProcess.batch?.hostvars)
            #expect(page.hosts == inProcess.batch?.hosts)
            let body = HTTPJSON.claim(answer).body
            var buffer = ByteBuffer()
            try await body.write(CollectingWriter { buffer.writeImmutableBuffer($0) })
            let text = String(buffer: buffer)
            #expect(JSONWriter(indent: nil, sortKeys: true).string(try JSONParser.parse(text)) == Self.direct(inProcess))
        }
        // Re-reads share one encoding.
        let a = try await f.engine.cursors.currentBatchAnswer("c", consumer: nil, claimKey: "k1")
        let b = try await f.engine.cursors.claimAnswer("c", ClaimRequest(consumer: "x-k1", claimKey: "k1"))
        #expect(a.inventory != nil && a.inventory === b.inventory)
    }

    @Test("the encoded batch inventory lists hostvars by name (inventory-script copies them in that order), hosts in hand-out order")
    func hostvarsByName() throws {
        let groups = GroupTable(names: ["all"], vars: [[:]], priorities: [nil], parents: [[]], children: [[]])
        let names = ["h10", "h9", "Zed", "h1", "é", "a"]
        let inventory = BatchInventory(hosts: names.enumerated().map { n, name in
            PlanHost(position: n, hostIndex: n, name: name, vars: .text(name == "h9" ? "{}" : #"{"n": \#(n)}"#), groups: [0])
        }, groups: groups)
        let object = try #require(try JSONParser.parse("{" + String(decoding: inventory.members, as: UTF8.self) + "}").objectValue)
        let hostvars = try #require(object["hostvars"]?.objectValue)
        #expect(Array(hostvars.keys) == ["Zed", "a", "h1", "h10", "é"])
        #expect(object["hosts"] == .array(names.map { .string($0) }))
    }

    @Test("the batch inventory cache keeps entries until its size bound, oldest out first")
    func inventoryCacheBound() async throws {
        let groups = GroupTable(names: ["all"], vars: [[:]], priorities: [nil], parents: [[]], children: [[]])
        func inventory(_ n: Int) -> BatchInventory {
            BatchInventory(hosts: (0..<n).map { PlanHost(position: $0, hostIndex: $0, name: "h\($0)", vars: .text(#"{"a": 1}"#), groups: [0]) },
                           groups: groups)
        }
        let size = inventory(10).members.count
        let cache = BatchInventoryCache(capacityBytes: size * 8)
        var builds = 0
        func get(_ batch: Int, hosts: Int = 10) async throws -> BatchInventory {
            try await cache.inventory(cursorId: 1, batchId: batch) { builds += 1; return inventory(hosts) }
        }
        let first = try await get(1)
        #expect(try await get(1) === first && builds == 1)
        for batch in 2...8 { _ = try await get(batch) }
        #expect(builds == 8)
        _ = try await get(1)
        #expect(builds == 8, "eight entries fit")
        _ = try await get(9)
        _ = try await get(1)
        #expect(builds == 10, "the ninth pushed the oldest (batch 1) out")
        _ = try await get(20, hosts: 40)
        _ = try await get(20, hosts: 40)
        #expect(builds == 12, "an entry over a quarter of the bound is never kept")
    }
}

/// Collects what a response body writes.
struct CollectingWriter: ResponseBodyWriter {
    let collect: (ByteBuffer) -> Void
    init(_ collect: @escaping (ByteBuffer) -> Void) { self.collect = collect }
    mutating func write(_ buffer: ByteBuffer) async throws { collect(buffer) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
