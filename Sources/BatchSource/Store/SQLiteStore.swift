import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, one process.
///
/// Writes run one at a time on GRDB's writer queue (never on the Swift concurrency pool), each
/// in a `BEGIN IMMEDIATE` transaction with `synchronous=FULL`, so a commit is on disk before
/// the answer is sent and a `kill -9` loses nothing that was answered.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
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
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try body(GRDBTransaction(db)) }
        } catch let error as DatabaseError {
            throw Self.unavailable(error) ?? error
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(GRDBTransaction(db)) }
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

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        var result: [SQLRow] = []
        while let row = try cursor.next() {
            result.append(SQLRow(row.databaseValues.map(Self.value)))
        }
        return result
    }

    func insertMany(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
        for row in rows {
            try statement.execute(arguments: Self.arguments(row))
        }
    }

    func now() throws -> Date { Date() }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value {
            case .null: return .null
            case .int(let i): return i.databaseValue
            case .double(let d): return d.databaseValue
            case .text(let s): return s.databaseValue
            case .blob(let b): return Data(b).databaseValue
            }
        })
    }

    static func value(_ v: DatabaseValue) -> SQLValue {
        switch v.storage {
        case .null: return .null
        case .int64(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .blob(let d): return .blob([UInt8](d))
        }
    }
}
