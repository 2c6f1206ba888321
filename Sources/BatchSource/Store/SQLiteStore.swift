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
    public let path: String

    /// Opens (creating if needed) the database file and runs pending migrations.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreUnavailableError("cannot open SQLite database \(path): \(error)")
        }
        try pool.write { db in
            try Migrations.run(on: GRDBTransaction(db))
        }
        writer = SQLiteGroupCommit(pool: pool)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await writer.write { db in try body(GRDBTransaction(db)) }
        } catch let error as DatabaseError {
            throw Self.unavailable(error) ?? error
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            // Synchronous on purpose: a read is a few SQLite steps, cheaper than the two thread
            // hops of GRDB's async read (measured: a quarter of a cursor GET's CPU).
            return try readNow(body)
        } catch let error as DatabaseError {
            throw Self.unavailable(error) ?? error
        }
    }

    /// SQLite failures that are about the database file, not the request (disk full or
    /// failing, file gone, locked past the busy timeout, closed): the caller answers 503.
    static func unavailable(_ error: DatabaseError) -> StoreUnavailableError? {
        switch error.resultCode {
        case .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_MISUSE, .SQLITE_READONLY, .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreUnavailableError("SQLite: \(error.message ?? error.resultCode.description)")
        default:
            return nil
        }
    }

    private func readNow<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try pool.read { db in try body(GRDBTransaction(db)) }
    }

    public func isReachable() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func close() async throws {
        try pool.close()
    }
}

/// A GRDB database handle seen through the engine's transaction protocol.
struct GRDBTransaction: StoreTransaction {
    let db: Database
    init(_ db: Database) { self.db = db }

    var dialect: SQLDialect { .sqlite }

    // Statements run through SQLite's C API on GRDB's cached statements: GRDB's argument and
    // row values cost about a tenth of a claim's CPU, for nothing the engine uses.

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        defer { sqlite3_reset(handle) }
        try bind(arguments, to: handle)
        var rc = sqlite3_step(handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(handle) }
        guard rc == SQLITE_DONE else { throw Self.error(rc, db) }
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        defer { sqlite3_reset(handle) }
        try bind(arguments, to: handle)
        let columns = sqlite3_column_count(handle)
        var result: [SQLRow] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { throw Self.error(rc, db) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for i in 0..<columns {
                switch sqlite3_column_type(handle, i) {
                case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(handle, i)))
                case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(handle, i)))
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(handle, i))
                    let text = sqlite3_column_text(handle, i).map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""
                    values.append(.text(text))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(handle, i))
                    let bytes = sqlite3_column_blob(handle, i).map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
                    values.append(.blob(bytes))
                default: values.append(.null)
                }
            }
            result.append(SQLRow(values))
        }
    }

    private func bind(_ arguments: [SQLValue], to handle: OpaquePointer) throws {
        for (i, value) in arguments.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(var v): rc = v.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
            case .blob(let v): rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
            guard rc == SQLITE_OK else { throw Self.error(rc, db) }
        }
    }

    func insertMany(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
        // Bound straight through the C API: GRDB's argument values cost more than the insert
        // itself on a 1M-host import (one DatabaseValue and one array per cell).
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for row in rows {
            sqlite3_reset(handle)
            try bind(row, to: handle)
            let rc = sqlite3_step(handle)
            guard rc == SQLITE_DONE else { throw Self.error(rc, db) }
        }
    }

    /// SQLite copies the bound bytes (the Swift buffers only live for the bind call).
    nonisolated(unsafe) static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func error(_ rc: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    func now() throws -> Date { Date() }
}
