import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// Cursor answers are reused only while nothing changed: every write (from this engine, from
/// another connection to the same file) and every lease end shows in the next read.
@Suite("Cursor answers reused while nothing changed")
struct ReadCacheTests {
    @Test("a claim, a completion and a patch show in the next read")
    func writesInvalidate() async throws {
        let f = try await EngineFixture(hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxInFlight: 2)
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 0)
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 0)
        _ = try await f.claim("a")
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 1)
        _ = try await f.complete(1)
        let done = try await f.engine.cursors.cursor("c")
        #expect(done.progress.batchesInFlight == 0 && done.progress.hostsDone == 2)
        _ = try await f.engine.cursors.patch("c", ["state": .string("paused")])
        #expect(try await f.engine.cursors.cursor("c").state == .paused)
    }

    @Test("a lease that runs out shows as no longer in flight, with no write in between")
    func leaseEndInvalidates() async throws {
        let f = try await EngineFixture(hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 4)
        let leased = Date()  // the lease ends after leased + 4 s and before claimed + 4 s
        _ = try await f.claim("a")
        let claimed = Date()
        // Read (and so keep) the answer while the lease runs; a machine too busy to read
        // within the lease cannot check this.
        let during = try await f.engine.cursors.cursor("c")
        if Date().timeIntervalSince(leased) < 3.5 { #expect(during.progress.batchesInFlight == 1) }
        try await Task.sleep(for: .seconds(max(0, 4.3 - Date().timeIntervalSince(claimed))))
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 0)
    }

    @Test("a write through another connection to the same SQLite file shows in the next read")
    func otherConnectionInvalidates() async throws {
        let f = try await EngineFixture(hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        #expect(try await f.engine.cursors.cursor("c").state == .active)
        let other = BatchEngine(store: try SQLiteStore(path: f.directory + "/state.sqlite"))
        _ = try await other.cursors.patch("c", ["state": .string("paused")])
        try await other.store.close()
        #expect(try await f.engine.cursors.cursor("c").state == .paused)
    }
}
