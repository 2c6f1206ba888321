import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// A real SQLite store in a fresh temp directory, with a pool of `hosts` hosts in groups.
struct EngineFixture {
    let engine: BatchEngine
    let directory: String

    init(hosts: Int = 10) async throws {
        directory = NSTemporaryDirectory() + "batch-source-test-" + UUID().uuidString
        let store = try SQLiteStore(path: directory + "/state.sqlite")
        engine = BatchEngine(store: store)
        var lines = ["[web]"]
        for i in 1...hosts { lines.append(String(format: "web%02d role=web idx=%d", i, i)) }
        lines += ["[dc1:children]", "web", "[dc1:vars]", "dc=one"]
        _ = try await engine.pools.importPool(name: "fleet", text: lines.joined(separator: "\n"), format: .ini)
    }

    func cursor(_ name: String = "c", batchSize: String = "3", ack: AckMode = .explicit, maxInFlight: Int = 1,
                lease: Int = 3600, maxFailPercentage: Double? = nil, maxFailedHosts: Int? = nil, pauseAfter: [Int] = [],
                limit: String? = nil) async throws -> CursorInfo {
        try await engine.cursors.create(CursorCreateRequest(name: name, settings: CursorSettings(
            pool: "fleet", limit: limit, batchSize: try BatchSize(parsing: batchSize), leaseSeconds: lease, maxInFlight: maxInFlight,
            ack: ack, maxFailPercentage: maxFailPercentage, maxFailedHosts: maxFailedHosts, pauseAfter: pauseAfter)))
    }

    func claim(_ consumer: String, key: String? = nil, cursor: String = "c") async throws -> ClaimResponse {
        try await engine.cursors.claim(cursor, ClaimRequest(consumer: consumer, claimKey: key))
    }

    func complete(_ batch: Int, _ results: [String: HostStatus] = [:], cursor: String = "c") async throws -> BatchInfo {
        try await engine.cursors.complete(cursor, batch: batch, CompleteRequest(results: results))
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Runs `body` and returns the engine error it throws, failing the test when there is none.
func engineError(_ body: () async throws -> some Any) async -> EngineError? {
    do {
        _ = try await body()
        Issue.record("expected an EngineError, got success")
        return nil
    } catch let e as EngineError {
        return e
    } catch {
        Issue.record("expected an EngineError, got \(error)")
        return nil
    }
}
