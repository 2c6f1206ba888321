import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("A store's manual clock, on every store")
struct StoreClockTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a transaction's now is the manual clock's time, bound into statements too", arguments: StoreKind.allCases)
    func transactionsReadTheManualClock(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.start)
        let f = try await EngineFixture(store, hosts: 1, clock: clock)
        defer { f.cleanup() }
        clock.advance(by: 12.5)
        let (now, bound) = try await f.engine.store.read { tx in (try tx.now(), try tx.nowArgument()) }
        #expect(now == Self.start.addingTimeInterval(12.5))
        #expect(bound == Self.start.timeIntervalSince1970 + 12.5)
        #expect(StoreClock.system.isManual == false && StoreClock.system.manualTime == nil)
    }

    @Test("a lease ends when the clock moves past it, and only then", arguments: StoreKind.allCases)
    func leaseExpiresWhenTheClockMoves(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.start)
        let f = try await EngineFixture(store, hosts: 4, clock: clock)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 30)
        let first = try #require(try await f.claim("a").batch)
        #expect(first.leaseExpiresAt == RFC3339.string(from: Self.start.addingTimeInterval(30)))

        clock.advance(by: 29)
        let busy = await engineError { try await f.claim("b") }
        #expect(busy?.code == "no_batch_free")
        #expect(busy?.retryAfterSeconds == 1)
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 1)

        clock.advance(by: 1)
        // Read (and, on SQLite, cached) before the lease ended: the cursor now says none is out.
        #expect(try await f.engine.cursors.cursor("c").progress.batchesInFlight == 0)
        #expect(try await f.engine.cursors.batch("c", id: 1).state == .available)
        let again = try #require(try await f.claim("b").batch)
        #expect(again.batchId == 1 && again.attempt == 2 && again.consumer == "b")
        #expect(again.leaseExpiresAt == RFC3339.string(from: Self.start.addingTimeInterval(60)))
    }

    @Test("a heartbeat extends the lease from the clock's time", arguments: StoreKind.allCases)
    func heartbeatExtendsFromTheClock(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.start)
        let f = try await EngineFixture(store, hosts: 4, clock: clock)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", lease: 30)
        _ = try await f.claim("a")
        clock.advance(by: 20)
        let beat = try await f.engine.cursors.heartbeat("c", batch: 1, LeaseRequest(consumer: "a"))
        #expect(beat.leaseExpiresAt == RFC3339.string(from: Self.start.addingTimeInterval(50)))
        clock.advance(by: 20)
        #expect(await engineError { try await f.claim("b") }?.code == "no_batch_free")
        clock.advance(by: 10)
        #expect(try await f.claim("b").batch?.attempt == 2)
    }
}
