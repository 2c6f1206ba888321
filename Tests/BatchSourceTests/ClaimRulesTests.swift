import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Claim rules, on every store")
struct ClaimRulesTests {
    @Test(
        "explicit ack: a consumer re-reads its batch until it completes it, then drains every host once",
        arguments: StoreKind.allCases)
    func explicitDrain(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 10)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "3")
        var seen: [String] = []
        var batchIds: [Int] = []
        while true {
            let first = try await f.claim("awx-1")
            guard let batch = first.batch else {
                #expect(first.hasMore == false)
                #expect(first.cursorState == .done)
                break
            }
            let again = try await f.claim("awx-1")
            #expect(again.batch?.batchId == batch.batchId)
            #expect(again.batch?.attempt == batch.attempt)
            seen += batch.hosts
            batchIds.append(batch.batchId)
            _ = try await f.complete(batch.batchId)
        }
        #expect(batchIds == [1, 2, 3, 4])
        #expect(seen == (1...10).map { String(format: "web%02d", $0) })
        #expect(Set(seen).count == 10)
        let info = try await f.engine.cursors.cursor("c")
        #expect(info.progress.hostsDone == 10)
        #expect(info.progress.batchesTotal == 4)
    }

    @Test("a claim answer carries host vars, groups with parents and group vars", arguments: StoreKind.allCases)
    func claimCarriesInventory(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        let batch = try #require(try await f.claim("me").batch)
        #expect(batch.hosts == ["web01", "web02"])
        #expect(batch.hostvars?["web01"]?["idx"] == .int(1))
        #expect(batch.groups?["web"]?.hosts == ["web01", "web02"])
        #expect(batch.groups?["dc1"]?.children == ["web"])
        #expect(batch.groups?["dc1"]?.vars["dc"] == .string("one"))
        #expect(batch.groups?["all"]?.children == ["dc1"])
        #expect(batch.leaseExpiresAt != nil)
    }

    @Test("rule 1: the same claim key returns the same batch, even after it completed", arguments: StoreKind.allCases)
    func claimKeyIdempotent(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        let a = try await f.claim("src-7", key: "update-100")
        _ = try await f.complete(a.batch!.batchId)
        let again = try await f.claim("src-7", key: "update-100")
        #expect(again.batch?.batchId == a.batch?.batchId)
        #expect(again.batch?.state == .completed)
        let next = try await f.claim("src-7", key: "update-101")
        #expect(next.batch?.batchId == 2)
    }

    @Test("rule 2 with auto ack: the next claim completes the held batch as ok", arguments: StoreKind.allCases)
    func autoAck(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 5)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", ack: .auto)
        #expect(try await f.claim("seed").batch?.batchId == 1)
        #expect(try await f.claim("seed").batch?.batchId == 2)
        #expect(try await f.claim("seed").batch?.batchId == 3)
        let end = try await f.claim("seed")
        #expect(end.batch == nil)
        #expect(end.hasMore == false)
        let info = try await f.engine.cursors.cursor("c")
        #expect(info.progress.hostsOk == 5)
        #expect(info.state == .done)
    }

    @Test(
        "rule 5/6: max_in_flight bounds the batches out; the rest are told when to ask again",
        arguments: StoreKind.allCases)
    func maxInFlight(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 9)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "3", maxInFlight: 2)
        #expect(try await f.claim("a").batch?.batchId == 1)
        #expect(try await f.claim("b").batch?.batchId == 2)
        let refused = await engineError { try await f.claim("c") }
        #expect(refused?.code == "no_batch_free")
        #expect(refused?.status == 409)
        #expect((refused?.retryAfterSeconds ?? 0) >= 1)
        _ = try await f.complete(1)
        #expect(try await f.claim("c").batch?.batchId == 3)
    }

    @Test("rule 4: an expired lease goes to the next consumer as attempt 2", arguments: StoreKind.allCases)
    func expiredLease(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 1)
        let first = try await f.claim("a")
        try await Task.sleep(for: .milliseconds(1200))
        let second = try await f.claim("b")
        #expect(second.batch?.batchId == first.batch?.batchId)
        #expect(second.batch?.attempt == 2)
        #expect(second.batch?.consumer == "b")
        let stale = await engineError {
            try await f.engine.cursors.complete("c", batch: 1, CompleteRequest(claimKey: "nope"))
        }
        #expect(stale?.code == "not_holder")
    }

    @Test("release gives a batch back; the next claim takes it up again", arguments: StoreKind.allCases)
    func release(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        _ = try await f.claim("a")
        let released = try await f.engine.cursors.release("c", batch: 1, LeaseRequest(consumer: "a"))
        #expect(released.state == .available)
        let b = try await f.claim("b")
        #expect(b.batch?.batchId == 1)
        #expect(b.batch?.attempt == 2)
    }

    @Test("heartbeat extends the lease and records an external reference", arguments: StoreKind.allCases)
    func heartbeat(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 2)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 60)
        let before = try #require(try await f.claim("a").batch?.leaseExpiresAt)
        let after = try await f.engine.cursors.heartbeat(
            "c", batch: 1, LeaseRequest(consumer: "a", leaseSeconds: 7200, externalRef: "job/42"))
        #expect(after.externalRef == "job/42")
        #expect(RFC3339.date(from: after.leaseExpiresAt!)! > RFC3339.date(from: before)!)
        let wrong = await engineError {
            try await f.engine.cursors.heartbeat("c", batch: 1, LeaseRequest(consumer: "b"))
        }
        #expect(wrong?.code == "not_holder")
    }

    @Test(
        "eight claimers at once drain the cursor: every host in exactly one completed batch",
        arguments: StoreKind.allCases)
    func concurrentDrain(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 60)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxInFlight: 4)
        let engine = f.engine
        let seen = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<8 {
                group.addTask {
                    var hosts: [String] = []
                    while true {
                        let answer: ClaimResponse
                        do { answer = try await engine.cursors.claim("c", ClaimRequest(consumer: "w\(i)")) } catch let e
                            as EngineError where e.code == "no_batch_free"
                        {
                            try await Task.sleep(for: .milliseconds(2))
                            continue
                        }
                        guard let batch = answer.batch else { return hosts }
                        _ = try await engine.cursors.complete(
                            "c", batch: batch.batchId, CompleteRequest(consumer: "w\(i)"))
                        hosts += batch.hosts
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(seen.count == 60)
        #expect(Set(seen).count == 60)
        let info = try await engine.cursors.cursor("c")
        #expect(info.state == .done && info.progress.hostsDone == 60 && info.progress.batchesCompleted == 30)
    }
}
