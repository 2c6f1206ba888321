import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("The audit trail and rollback cursors, on every store")
struct AuditTrailTests {
    @Test("every state change is an event, in order, with who made it and why", arguments: StoreKind.allCases)
    func eventsInOrder(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Date(timeIntervalSince1970: 1_796_500_800))
        let f = try await EngineFixture(store, hosts: 4, clock: clock)
        defer { f.cleanup() }
        let cursors = f.engine.cursors
        _ = try await cursors.create(
            CursorCreateRequest(
                name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(2), leaseSeconds: 60)),
            actor: "admin")
        _ = try await cursors.claim("c", ClaimRequest(consumer: "w1"), actor: "awx")
        _ = try await cursors.complete(
            "c", batch: 1, CompleteRequest(results: ["web01": .failed], consumer: "w1"), actor: "awx")
        _ = try await cursors.patch("c", ["state": "paused", "state_reason": "look at web01"], actor: "ops")
        _ = try await cursors.patch("c", ["state": "active", "lease_seconds": 30], actor: "ops")
        _ = try await cursors.claim("c", ClaimRequest(consumer: "w1"), actor: "awx")
        _ = try await cursors.release("c", batch: 2, LeaseRequest(consumer: "w1", reason: "job canceled"), actor: "awx")
        _ = try await cursors.claim("c", ClaimRequest(consumer: "w2"), actor: "awx")
        clock.advance(by: 31)
        _ = try await cursors.claim("c", ClaimRequest(consumer: "w3"), actor: "awx")
        _ = try await cursors.complete("c", batch: 2, CompleteRequest(consumer: "w3"), actor: "awx")

        let page = try await cursors.events("c", after: 0, limit: 100)
        let kinds = page.items.map(\.kind)
        #expect(
            kinds == [
                .created, .claimed, .completed, .paused, .patched, .resumed, .claimed, .released, .redelivered,
                .expired, .redelivered, .completed, .done,
            ])
        #expect(page.items.map(\.seq) == Array(1...kinds.count))
        #expect(page.total == kinds.count)
        let byKind = { (kind: CursorEventKind) in page.items.filter { $0.kind == kind } }
        #expect(byKind(.created).first?.actor == "admin")
        #expect(byKind(.completed).first?.details?["failed"] == 1)
        #expect(byKind(.completed).first?.details?["ok"] == 1)
        #expect(byKind(.paused).first?.actor == "ops")
        #expect(byKind(.paused).first?.reason == "paused by an operator: look at web01")
        #expect(byKind(.patched).first?.details == ["lease_seconds": 30])
        #expect(byKind(.released).first?.reason == "job canceled")
        #expect(byKind(.expired).first?.details?["consumer"] == "w2")
        #expect(byKind(.redelivered).last?.details?["consumer"] == "w3")
        #expect(byKind(.redelivered).last?.details?["attempt"] == 3)
        let later = try await cursors.events("c", after: 10, limit: 2)
        #expect(later.items.map(\.seq) == [11, 12])
        #expect(later.offset == 10)
    }

    @Test("a threshold halt is an event with its reason", arguments: StoreKind.allCases)
    func haltEvent(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxFailPercentage: 0)
        _ = try await f.claim("w1")
        _ = try await f.complete(1, ["web02": .unreachable], as: "w1")
        let halted = try #require(try await f.engine.cursors.events("c", after: 0, limit: 10).items.last)
        #expect(halted.kind == .halted)
        #expect(halted.batch == 1)
        #expect(halted.reason?.contains("max_fail_percentage") == true)
    }

    @Test("a rollback cursor takes the completed hosts, the last done first", arguments: StoreKind.allCases)
    func rollbackNewestFirst(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Date(timeIntervalSince1970: 1_796_500_800))
        let f = try await EngineFixture(store, hosts: 6, clock: clock)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxInFlight: 3)
        for consumer in ["a", "b", "c"] { _ = try await f.claim(consumer) }
        // Completed out of plan order: batch 3, then 1, then 2.
        _ = try await f.complete(3, ["web05": .changed], as: "c")
        clock.advance(by: 10)
        _ = try await f.complete(1, ["web02": .failed], as: "a")
        clock.advance(by: 10)
        _ = try await f.complete(2, ["web03": .changed, "web04": .skipped], as: "b")
        let undo = try await f.engine.cursors.retry(
            "c", RetryRequest(name: "undo", batchSize: try .count(10), order: .newestFirst, select: [.ok, .changed]))
        #expect(undo.retryOf == "c")
        #expect(undo.progress.totalHosts == 4)
        let hosts = try #require(try await f.claim("r", cursor: "undo").batch).hosts
        // Batch 2 (web03) last, then batch 1 (web01), then batch 3 reversed within (web06, web05).
        #expect(hosts == ["web03", "web01", "web06", "web05"])
        let failed = try await f.engine.cursors.retry("c", RetryRequest(name: "again"))
        #expect(failed.progress.totalHosts == 1)
    }
}
