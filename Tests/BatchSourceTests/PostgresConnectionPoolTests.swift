import Foundation
import Logging
import PostgresTestCluster
import Testing

@testable import BatchSource

/// The PostgreSQL connection pool when every connection is busy: waiters are served in turn,
/// time out with a clear error, and can be cancelled; closing answers them all.
@Suite("PostgreSQL connection pool")
struct PostgresConnectionPoolTests {
    static func pool(leaseTimeout: Duration) async throws -> PostgresConnectionPool {
        let settings = try PostgresSettings(parsing: try await StoreKind.newDatabase() + "&pool_size=1")
        return try PostgresConnectionPool(settings: settings, leaseTimeout: leaseTimeout, logger: Logger(label: "test"))
    }

    @Test(
        "a waiter gets the connection given back; one that waits too long fails with what to do; a cancelled one stops waiting"
    )
    func waiters() async throws {
        let pool = try await Self.pool(leaseTimeout: .milliseconds(400))
        let held = try await pool.lease()

        // Too long: the error says so and what to change, after the timeout and not much later.
        let started = ContinuousClock.now
        do {
            _ = try await pool.lease()
            Issue.record("the lease should have timed out")
        } catch let e as StoreUnavailableError {
            #expect(e.description.contains("stayed busy") && e.description.contains("pool_size"))
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(400) && waited < .seconds(5), "\(waited)")

        // Given back: the next waiter gets that very connection.
        let waiter = Task { try await pool.lease() }
        try await Task.sleep(for: .milliseconds(50))
        pool.giveBack(held, reusable: true)
        let next = try await waiter.value
        #expect(next.connection === held.connection)

        // Cancelled: it stops waiting at once, long before the timeout.
        let slow = try await Self.pool(leaseTimeout: .seconds(30))
        let busy = try await slow.lease()
        let cancelled = Task { try await slow.lease() }
        try await Task.sleep(for: .milliseconds(50))
        let cancelledAt = ContinuousClock.now
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(ContinuousClock.now - cancelledAt < .seconds(5))
        // Cancelled before it started to wait, too.
        let early = ContinuousClock.now
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await slow.lease()
        }
        await #expect(throws: CancellationError.self) { try await cancelledFirst.value }
        #expect(ContinuousClock.now - early < .seconds(5))

        // Closed: a waiter hears so instead of waiting out its 30 s.
        let stranded = Task { try await slow.lease() }
        try await Task.sleep(for: .milliseconds(50))
        await slow.close()
        await #expect(throws: StoreUnavailableError.self) { try await stranded.value }
        slow.giveBack(busy, reusable: true)
        pool.giveBack(next, reusable: true)
        await pool.close()
    }
}
