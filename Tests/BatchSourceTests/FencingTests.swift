import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// Only the attempt that holds a batch changes it; an admin may act for it only with `force`.
@Suite("Fencing: complete, heartbeat and release from the holder only")
struct FencingTests {
    /// w4 claims batch 1, its lease runs out, w5 takes the batch over as attempt 2.
    private func takenOver(_ store: StoreKind) async throws -> EngineFixture {
        let f = try await EngineFixture(store, hosts: 6)
        _ = try await f.cursor(batchSize: "2", maxInFlight: 2, lease: 1)
        let first = try await f.claim("w4")
        #expect(first.batch?.batchId == 1)
        // w5's lease is long, so that it holds the batch however slowly the checks run.
        _ = try await f.engine.cursors.patch("c", ["lease_seconds": .int(600)])
        try await Task.sleep(for: .milliseconds(1200))
        let second = try await f.claim("w5")
        #expect(second.batch?.batchId == 1 && second.batch?.attempt == 2)
        return f
    }

    @Test(
        "a stale holder's complete, heartbeat and release answer 409 not_holder and change nothing",
        arguments: StoreKind.allCases)
    func staleHolder(_ store: StoreKind) async throws {
        let f = try await takenOver(store)
        defer { f.cleanup() }
        let cursors = f.engine.cursors
        let before = try await cursors.cursor("c")
        let complete = await engineError {
            try await cursors.complete("c", batch: 1, CompleteRequest(results: ["web01": .failed], consumer: "w4"))
        }
        #expect(complete?.code == "not_holder" && complete?.status == 409)
        #expect(complete?.message.contains("attempt 2") == true)
        let heartbeat = await engineError {
            try await cursors.heartbeat("c", batch: 1, LeaseRequest(consumer: "w4", leaseSeconds: 600))
        }
        #expect(heartbeat?.code == "not_holder")
        let release = await engineError { try await cursors.release("c", batch: 1, LeaseRequest(consumer: "w4")) }
        #expect(release?.code == "not_holder")

        let batch = try await cursors.batch("c", id: 1)
        #expect(batch.state == .leased && batch.attempt == 2 && batch.consumer == "w5" && batch.results == nil)
        #expect(try await cursors.cursor("c").progress == before.progress)

        // The holder completes; the stale one cannot repeat it, the holder can.
        _ = try await cursors.complete("c", batch: 1, CompleteRequest(results: ["web01": .failed], consumer: "w5"))
        let repeated = await engineError {
            try await cursors.complete("c", batch: 1, CompleteRequest(results: ["web01": .failed], consumer: "w4"))
        }
        #expect(repeated?.code == "not_holder")
        let again = try await cursors.complete(
            "c", batch: 1, CompleteRequest(results: ["web01": .failed], consumer: "w5"))
        #expect(again.results?["web01"] == .failed)
        #expect(try await cursors.cursor("c").progress.hostsFailed == 1)
    }

    @Test(
        "the claim key names the attempt: another key of the same consumer is not the holder",
        arguments: StoreKind.allCases)
    func claimKeys(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        _ = try await f.claim("a", key: "update-1")
        let cursors = f.engine.cursors
        let otherKey = await engineError {
            try await cursors.complete("c", batch: 1, CompleteRequest(consumer: "a", claimKey: "update-2"))
        }
        #expect(otherKey?.code == "not_holder")
        let otherConsumer = await engineError {
            try await cursors.heartbeat("c", batch: 1, LeaseRequest(consumer: "b", claimKey: "update-1"))
        }
        #expect(otherConsumer?.code == "not_holder")
        let nobody = await engineError { try await cursors.complete("c", batch: 1, CompleteRequest()) }
        #expect(nobody?.status == 422 && nobody?.message.contains("consumer and/or claim_key") == true)
        let done = try await cursors.complete("c", batch: 1, CompleteRequest(claimKey: "update-1"))
        #expect(done.state == .completed)
    }

    @Test(
        "the holder's next claim key (the next AWX inventory update, a restarted play) names its attempt too",
        arguments: StoreKind.allCases)
    func holderClaimsAgainUnderANewKey(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxInFlight: 2)
        _ = try await f.claim("awx-source-7", key: "update-42")
        let again = try await f.claim("awx-source-7", key: "update-43")
        #expect(again.batch?.batchId == 1 && again.batch?.attempt == 1)
        _ = try await f.claim("other", key: "update-99")
        let cursors = f.engine.cursors
        let keyAlone = await engineError {
            try await cursors.heartbeat("c", batch: 1, LeaseRequest(claimKey: "update-43"))
        }
        #expect(keyAlone?.code == "not_holder", "a second key counts only beside the holder's consumer")
        let othersKey = await engineError {
            try await cursors.heartbeat("c", batch: 1, LeaseRequest(consumer: "awx-source-7", claimKey: "update-99"))
        }
        #expect(othersKey?.code == "not_holder")
        let done = try await cursors.complete(
            "c", batch: 1, CompleteRequest(consumer: "awx-source-7", claimKey: "update-43"))
        #expect(done.state == .completed)
    }

    @Test(
        "a lease that ran out still belongs to its attempt until another claim takes the batch",
        arguments: StoreKind.allCases)
    func lateButUnclaimed(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 1)
        _ = try await f.claim("a")
        try await Task.sleep(for: .milliseconds(1200))
        let done = try await f.engine.cursors.complete("c", batch: 1, CompleteRequest(consumer: "a"))
        #expect(done.state == .completed && done.attempt == 1)
    }

    @Test(
        "force acts for the holder and is recorded on the attempt; without an admin's name it is refused",
        arguments: StoreKind.allCases)
    func force(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        _ = try await f.claim("a")
        let cursors = f.engine.cursors
        let noAdmin = await engineError { try await cursors.release("c", batch: 1, LeaseRequest(force: true)) }
        #expect(noAdmin?.status == 403)
        let released = try await cursors.release("c", batch: 1, LeaseRequest(force: true), forcedBy: "root")
        #expect(released.state == .available)
        _ = try await f.claim("b")
        _ = try await cursors.complete("c", batch: 1, CompleteRequest(force: true), forcedBy: "root")
        let forced = try await f.engine.store.write { tx in
            try tx.rows(
                "SELECT attempt, consumer, outcome, forced_by FROM batch_attempts WHERE batch_id = 1 ORDER BY attempt",
                []
            ).map { row throws(SQLRowError) in
                "\(try row.int("attempt")) \(try row.text("consumer")) \(try row.text("outcome")) "
                    + ((try row["forced_by"].text) ?? "-")
            }
        }
        #expect(forced == ["1 a released root", "2 b completed root"])
    }
}
