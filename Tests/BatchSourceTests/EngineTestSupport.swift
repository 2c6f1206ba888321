import Foundation
import InventoryModel
import PostgresTestCluster
import Testing

@testable import BatchSource

/// The stores the engine runs on; the engine suites run once per kind, as one conformance suite.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// A new, empty store of this kind: a SQLite file in `directory`, or a fresh database on
    /// the test process's PostgreSQL cluster; `clock` judges its leases.
    func makeStore(directory: String, clock: StoreClock = .system) async throws -> any Store {
        switch self {
        case .sqlite:
            return try SQLiteStore(path: directory + "/state.sqlite", clock: clock)
        case .postgres:
            return try await PostgresStore.open(
                try PostgresSettings(parsing: try await Self.newDatabase() + "&pool_size=4"), clock: clock)
        }
    }

    /// The URL of a new empty PostgreSQL database.
    static func newDatabase() async throws -> String {
        try await PostgresTestCluster.shared.createDatabase()
    }
}

/// A real store (SQLite or PostgreSQL) with a pool of `hosts` hosts in groups.
struct EngineFixture {
    let engine: BatchEngine
    let kind: StoreKind
    let directory: String

    init(_ kind: StoreKind = .sqlite, hosts: Int = 10, clock: StoreClock = .system) async throws {
        self.kind = kind
        directory = NSTemporaryDirectory() + "batch-source-test-" + UUID().uuidString
        engine = BatchEngine(store: try await kind.makeStore(directory: directory, clock: clock))
        var lines = ["[web]"]
        for i in 1...hosts { lines.append(String(format: "web%02d role=web idx=%d", i, i)) }
        lines += ["[dc1:children]", "web", "[dc1:vars]", "dc=one"]
        _ = try await engine.pools.importPool(name: "fleet", text: lines.joined(separator: "\n"), format: .ini)
    }

    func cursor(
        _ name: String = "c", batchSize: String = "3", ack: AckMode = .explicit, maxInFlight: Int = 1,
        lease: Int = 3600, maxFailPercentage: Double? = nil, maxFailedHosts: Int? = nil, pauseAfter: [Int] = [],
        limit: String? = nil
    ) async throws -> CursorInfo {
        try await engine.cursors.create(
            CursorCreateRequest(
                name: name,
                settings: CursorSettings(
                    pool: "fleet", limit: limit, batchSize: try BatchSize(parsing: batchSize), leaseSeconds: lease,
                    maxInFlight: maxInFlight,
                    ack: ack, maxFailPercentage: maxFailPercentage, maxFailedHosts: maxFailedHosts,
                    pauseAfter: pauseAfter)))
    }

    func claim(_ consumer: String, key: String? = nil, cursor: String = "c") async throws -> ClaimResponse {
        try await engine.cursors.claim(cursor, ClaimRequest(consumer: consumer, claimKey: key))
    }

    /// Completes a batch as its holder: `consumer`, or the consumer and claim key that hold it now.
    func complete(_ batch: Int, _ results: [String: HostStatus] = [:], as consumer: String? = nil, cursor: String = "c")
        async throws -> BatchInfo
    {
        var request = CompleteRequest(results: results, consumer: consumer)
        if consumer == nil {
            let held = try await engine.cursors.batch(cursor, id: batch)
            request.consumer = held.consumer
            request.claimKey = held.claimKey
        }
        return try await engine.cursors.complete(cursor, batch: batch, request)
    }

    /// Deletes the SQLite file; closes the store (its PostgreSQL database goes with the
    /// cluster at the end of the test process).
    func cleanup() {
        let store = engine.store
        Task { try? await store.close() }
        try? FileManager.default.removeItem(atPath: directory)
    }
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
