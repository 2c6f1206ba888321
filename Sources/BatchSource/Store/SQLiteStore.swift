import Foundation
import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file in WAL mode, one process.
///
/// Writes run one at a time on GRDB's writer queue (never on the Swift concurrency pool), in
/// `BEGIN IMMEDIATE` transactions with `synchronous=FULL`, grouped under load (see
/// ``SQLiteGroupCommit``), so a commit is on disk before the answer is sent and a `kill -9`
/// loses nothing that was answered.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let writer: SQLiteGroupCommit
    private let readers: SQLiteReaders
    public let path: String
    public let clock: StoreClock

    /// Opens (creating if needed) the database file and runs pending migrations; `clock` is
    /// what leases are judged by (a manual one for tests).
    public init(path: String, clock: StoreClock = .system) throws {
        self.path = path
        self.clock = clock
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // The writer walks the plan and batch indexes of every claim and completion: keep
            // them in memory (64 MB instead of 2). No mmap: a failing disk would then kill the
            // process with SIGBUS instead of failing the request with 503.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreUnavailableError("cannot open SQLite database \(path): \(error)")
        }
        try pool.write { db in
            try Migrations.run(on: GRDBTransaction(db, clock: clock))
        }
        writer = SQLiteGroupCommit(pool: pool)
        readers = try SQLiteReaders(path: path, clock: clock)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            let clock = self.clock
            return try await writer.write { db in try body(GRDBTransaction(db, clock: clock)) }
        } catch let error as DatabaseError {
            throw Self.unavailable(error) ?? error
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            // Synchronous on purpose: a read is a few SQLite steps, cheaper than any thread hop.
            return try readers.read(body)
        } catch let error as DatabaseError {
            throw Self.unavailable(error) ?? error
        }
    }

    public func snapshotVersion() -> Int? {
        try? readers.dataVersion()
    }

    /// SQLite failures that are about the database file, not the request (disk full or
    /// failing, file gone, locked past the busy timeout, closed): the caller answers 503.
    static func unavailable(_ error: DatabaseError) -> StoreUnavailableError? {
        switch error.resultCode {
        case .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_MISUSE,
            .SQLITE_READONLY, .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreUnavailableError("SQLite: \(error.message ?? error.resultCode.description)")
        default:
            return nil
        }
    }

    public func isReachable() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func close() async throws {
        readers.close()
        try pool.close()
    }
}
