import Foundation
import GRDB
import GRDBSQLite

/// Running prepared statements through SQLite's C API, for GRDB's writer connection and the
/// raw reader connections alike, since GRDB's argument and row values add work the engine
/// does not use.
enum SQLiteStatements {
    static func execute(_ handle: OpaquePointer, _ arguments: [SQLValue], connection: OpaquePointer?) throws {
        defer { sqlite3_reset(handle) }
        try bind(arguments, to: handle, connection: connection)
        var rc = sqlite3_step(handle)
        while rc == SQLITE_ROW { rc = sqlite3_step(handle) }
        guard rc == SQLITE_DONE else { throw error(rc, connection) }
    }

    static func rows(_ handle: OpaquePointer, _ arguments: [SQLValue], connection: OpaquePointer?) throws -> [SQLRow] {
        defer { sqlite3_reset(handle) }
        try bind(arguments, to: handle, connection: connection)
        let columns = sqlite3_column_count(handle)
        let names = SQLColumns((0..<columns).map { sqlite3_column_name(handle, $0).map { String(cString: $0) } ?? "" })
        var result: [SQLRow] = []
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return result }
            guard rc == SQLITE_ROW else { throw error(rc, connection) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for i in 0..<columns {
                switch sqlite3_column_type(handle, i) {
                case SQLITE_INTEGER: values.append(.int(sqlite3_column_int64(handle, i)))
                case SQLITE_FLOAT: values.append(.double(sqlite3_column_double(handle, i)))
                case SQLITE_TEXT:
                    let count = Int(sqlite3_column_bytes(handle, i))
                    let text =
                        sqlite3_column_text(handle, i).map {
                            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
                        } ?? ""
                    values.append(.text(text))
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(handle, i))
                    let bytes =
                        sqlite3_column_blob(handle, i).map { Array(UnsafeRawBufferPointer(start: $0, count: count)) }
                        ?? []
                    values.append(.blob(bytes))
                default: values.append(.null)
                }
            }
            result.append(SQLRow(values, columns: names))
        }
    }

    static func bind(_ arguments: [SQLValue], to handle: OpaquePointer, connection: OpaquePointer?) throws {
        for (i, value) in arguments.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(var v):
                rc = v.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient) }
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
            }
            guard rc == SQLITE_OK else { throw error(rc, connection) }
        }
    }

    /// SQLite copies the bound bytes (the Swift buffers only live for the bind call).
    nonisolated(unsafe) static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func error(_ rc: Int32, _ connection: OpaquePointer?) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: rc), message: connection.map { String(cString: sqlite3_errmsg($0)) })
    }
}

/// GRDB's writer connection seen through the engine's transaction protocol.
struct GRDBTransaction: StoreTransaction {
    let db: Database
    let clock: StoreClock
    init(_ db: Database, clock: StoreClock) {
        self.db = db
        self.clock = clock
    }

    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try SQLiteStatements.execute(
            try db.cachedStatement(sql: sql).sqliteStatement, arguments, connection: db.sqliteConnection)
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try SQLiteStatements.rows(
            try db.cachedStatement(sql: sql).sqliteStatement, arguments, connection: db.sqliteConnection)
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
            try SQLiteStatements.bind(row, to: handle, connection: db.sqliteConnection)
            let rc = sqlite3_step(handle)
            guard rc == SQLITE_DONE else { throw SQLiteStatements.error(rc, db.sqliteConnection) }
        }
    }

    func now() throws -> Date { clock.now() }
}
