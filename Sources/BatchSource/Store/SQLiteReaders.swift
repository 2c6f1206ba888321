import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Read-only connections to the SQLite file, used through SQLite's C API on the calling
/// thread.
///
/// Every API read (a cursor GET, a claim's batch hosts, a token check) is a few statements;
/// GRDB's pooled read (a reader queue hop, a generic pool lookup, a parsed `BEGIN`) cost more
/// than those statements did. WAL mode lets these connections read while the one writer
/// writes; each read is one transaction, so it sees one committed state.
final class SQLiteReaders: Sendable {
    private let path: String
    private let clock: StoreClock
    private let state = Mutex<(idle: [SQLiteReadConnection], closed: Bool)>(([], false))
    /// Idle connections kept for reuse; reads run on the few threads of the concurrency pool.
    private let keepIdle = 8
    /// A connection of its own for `PRAGMA data_version`: the number only means something when
    /// asked again on the same connection.
    private let versionConnection: Mutex<SQLiteReadConnection>

    init(path: String, clock: StoreClock) throws {
        self.path = path
        self.clock = clock
        versionConnection = Mutex(try SQLiteReadConnection(path: path))
    }

    /// Runs `body` in one read transaction on an idle connection (or a new one).
    func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        let connection = try take()
        defer { giveBack(connection) }
        return try connection.transaction(clock: clock, body)
    }

    /// A number that changes whenever a write by any connection, in this process or another,
    /// commits to the database.
    func dataVersion() throws -> Int {
        try versionConnection.withLock { connection in
            let rows = try SQLiteStatements.rows(
                try connection.statement("PRAGMA data_version"), [], connection: connection.handle)
            return rows.first?[0].int ?? 0
        }
    }

    func close() {
        let idle = state.withLock { s -> [SQLiteReadConnection] in
            s.closed = true
            defer { s.idle = [] }
            return s.idle
        }
        for connection in idle { connection.close() }
        versionConnection.withLock { $0.close() }
    }

    private func take() throws -> SQLiteReadConnection {
        let reused = try state.withLock { s -> SQLiteReadConnection? in
            if s.closed { throw StoreUnavailableError("the SQLite database \(path) is closed") }
            return s.idle.popLast()
        }
        return try reused ?? SQLiteReadConnection(path: path)
    }

    private func giveBack(_ connection: SQLiteReadConnection) {
        let keep = state.withLock { s -> Bool in
            guard !s.closed, s.idle.count < keepIdle else { return false }
            s.idle.append(connection)
            return true
        }
        if !keep { connection.close() }
    }
}

/// One read-only SQLite connection and its prepared statements.
///
/// `@unchecked Sendable`: a connection is only ever reachable from one place at a time, either
/// the idle list of ``SQLiteReaders`` (under its mutex) or the one caller that took it from
/// there and gives it back when its read is over; so no two threads use it at once, which is
/// all SQLite's multi-thread mode (`SQLITE_OPEN_NOMUTEX`) asks.
final class SQLiteReadConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    private var closed = false

    init(path: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            if let db { sqlite3_close_v2(db) }
            throw StoreUnavailableError("cannot open SQLite database \(path) for reading: \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        // As the writer (see SQLiteStore), with a smaller page cache per reader.
        sqlite3_exec(db, "PRAGMA cache_size = -16384", nil, nil, nil)
    }

    /// The prepared statement for `sql`, prepared once per connection.
    func statement(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw SQLiteStatements.error(rc, handle) }
        statements[sql] = statement
        return statement
    }

    func transaction<T>(clock: StoreClock, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try SQLiteStatements.execute(try statement("BEGIN"), [], connection: handle)
        defer { _ = try? SQLiteStatements.execute(try statement("COMMIT"), [], connection: handle) }
        return try body(SQLiteReadTransaction(connection: self, clock: clock))
    }

    func close() {
        guard !closed else { return }
        closed = true
        for statement in statements.values { sqlite3_finalize(statement) }
        statements = [:]
        sqlite3_close_v2(handle)
    }

    deinit { close() }
}

/// A read transaction on a ``SQLiteReadConnection``.
struct SQLiteReadTransaction: StoreTransaction {
    let connection: SQLiteReadConnection
    let clock: StoreClock
    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try SQLiteStatements.execute(try connection.statement(sql), arguments, connection: connection.handle)
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try SQLiteStatements.rows(try connection.statement(sql), arguments, connection: connection.handle)
    }

    func insertMany(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        throw StoreUnavailableError("insert into \(table) inside a read transaction")
    }

    func now() throws -> Date { clock.now() }
}
