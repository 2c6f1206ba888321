import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The shared store: one PostgreSQL database behind any number of `batch-source serve`
/// replicas.
///
/// Write transactions run at READ COMMITTED; the engine locks the cursor row (`FOR UPDATE`)
/// first, so every later statement of the transaction sees what the previous holder of the
/// lock committed, on whichever replica it ran. Reads run at REPEATABLE READ, READ ONLY: one
/// snapshot. A transaction that loses a race (serialization failure, deadlock, a concurrent
/// insert of the same key) runs again from the start; a lost connection fails the request
/// with ``StoreUnavailableError`` and the next request opens a new connection.
public final class PostgresStore: Store {
    public let settings: PostgresSettings
    public let clock: StoreClock
    private let pool: PostgresConnectionPool
    private let threads: NIOThreadPool
    private let health: HealthConnection
    private let logger: Logger

    /// How many times a transaction that lost a race is run again before its error is passed on.
    static let maxRetries = 8
    /// `pg_advisory_xact_lock` key that serialises migrations of replicas starting together.
    static let migrationLockKey: Int64 = 0x6261_7463_6873_7263  // "batchsrc"

    /// Connects, then applies pending migrations under an advisory lock; `clock` is what leases
    /// are judged by (the database server's by default, a manual one for tests).
    public static func open(
        _ settings: PostgresSettings, logger: Logger = Logger(label: "batch-source.postgres"),
        clock: StoreClock = .system
    ) async throws -> PostgresStore {
        let store = try PostgresStore(settings: settings, logger: logger, clock: clock)
        do {
            try await store.write { tx in
                try tx.execute("SELECT pg_advisory_xact_lock(?)", [.int(migrationLockKey)])
                try Migrations.run(on: tx)
            }
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    private init(settings: PostgresSettings, logger: Logger, clock: StoreClock) throws {
        self.settings = settings
        self.clock = clock
        self.logger = logger
        pool = try PostgresConnectionPool(settings: settings, logger: logger)
        health = HealthConnection(configuration: try PostgresConnectionPool.configuration(settings), logger: logger)
        threads = NIOThreadPool(numberOfThreads: settings.poolSize)
        threads.start()
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func isReachable() async -> Bool {
        await health.check(timeout: .seconds(2))
    }

    public func close() async throws {
        await pool.close()
        await health.close()
        try await threads.shutdownGracefully()
    }

    /// How one try of a transaction ended.
    private enum Attempt<T: Sendable>: Sendable {
        case committed(T)
        /// Nothing was done: BEGIN failed on a connection that had died while idle.
        case staleConnection(any Error)
        case failed(any Error, reusable: Bool)
    }

    private func transaction<T: Sendable>(begin: String, _ body: @escaping @Sendable (any StoreTransaction) throws -> T)
        async throws -> T
    {
        var retries = 0
        var staleConnections = 0
        while true {
            let connection = try await pool.lease()
            let (logger, clock) = (self.logger, self.clock)
            let attempt: Attempt<T>
            do {
                attempt = try await threads.runIfActive {
                    Self.attempt(
                        PostgresTransaction(
                            connection: connection.connection, prepared: connection.prepared, logger: logger,
                            clock: clock),
                        begin: begin, body)
                }
            } catch {
                pool.giveBack(connection, reusable: false)
                throw StoreUnavailableError("the PostgreSQL store is closed")
            }
            switch attempt {
            case .committed(let value):
                pool.giveBack(connection, reusable: true)
                return value
            case .staleConnection(let error):
                pool.giveBack(connection, reusable: false)
                staleConnections += 1
                if staleConnections > settings.poolSize + 1 { throw error }
            case .failed(let error, let reusable):
                pool.giveBack(connection, reusable: reusable)
                guard error is PostgresStatementError, case .retryable = PostgresFailure.classify(error, statement: ""),
                    retries < Self.maxRetries
                else { throw error }
                retries += 1
                // Back off a little, more each time, so the racers do not collide again.
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(4 << min(retries, 5)))))
            }
        }
    }

    /// BEGIN, the body, COMMIT; ROLLBACK on any error. Blocks: runs on the store's threads.
    /// BEGIN is sent without waiting for it; the body's first wait sees whether it worked.
    private static func attempt<T: Sendable>(
        _ tx: PostgresTransaction, begin: String,
        _ body: (any StoreTransaction) throws -> T
    ) -> Attempt<T> {
        tx.send(begin, [], original: begin)
        do {
            let value = try body(tx)
            try tx.commit()
            return .committed(value)
        } catch let error as StoreUnavailableError {
            // BEGIN failed on a connection that had died while idle: nothing ran. Otherwise the
            // commit may or may not have happened; the caller says 503 and the client asks
            // again (claims are idempotent per consumer and claim key).
            if tx.firstStatementLostConnection { return .staleConnection(error) }
            return .failed(error, reusable: false)
        } catch {
            do {
                _ = try tx.run("ROLLBACK", [], original: "ROLLBACK")
                return .failed(error, reusable: true)
            } catch {
                return .failed(error, reusable: false)
            }
        }
    }
}

/// A connection of its own for `/readyz`, so readiness says whether the database answers,
/// not whether the pool happens to be busy.
private final class HealthConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)
    private let closed = Atomic<Bool>(false)

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether `SELECT 1` answers within `timeout`. A hung server (or network) must not hang
    /// the probe, so the query is raced against a timer rather than awaited.
    func check(timeout: Duration) async -> Bool {
        guard !closed.load(ordering: .relaxed) else { return false }
        let answered = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = Mutex(Optional(continuation))
            let finish: @Sendable (Bool) -> Void = { ok in once.withLock { c in c.take() }?.resume(returning: ok) }
            Task { finish((try? await self.ping()) ?? false) }
            Task {
                try? await Task.sleep(for: timeout)
                finish(false)
            }
        }
        if !answered { drop() }
        return answered
    }

    private func ping() async throws -> Bool {
        let existing = connection.withLock { $0 }
        let c: PostgresConnection
        if let existing, !existing.isClosed {
            c = existing
        } else {
            c = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            let previous = connection.withLock { slot in
                defer { slot = c }; return slot
            }
            if let previous, previous !== c { PostgresConnectionPool.closeEventually(previous) }
        }
        let result = try await c.query(PostgresQuery(unsafeSQL: "SELECT 1"), logger: logger).get()
        return result.rows.count == 1
    }

    private func drop() {
        if let c = connection.withLock({ slot in
            defer { slot = nil }; return slot
        }) {
            PostgresConnectionPool.closeEventually(c)
        }
    }

    func close() async {
        closed.store(true, ordering: .relaxed)
        if let c = connection.withLock({ slot in
            defer { slot = nil }; return slot
        }) {
            try? await c.close()
        }
    }

    deinit {
        if let c = connection.withLock({ $0 }) { PostgresConnectionPool.closeEventually(c) }
    }
}
