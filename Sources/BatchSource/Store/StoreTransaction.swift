import Foundation

/// The SQL spelling differences between stores that the shared SQL has to know about.
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// Row lock for the rest of the transaction; SQLite's single writer needs none.
    public var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }

    /// The database clock as seconds since 1970, for a column of a statement; NULL where the
    /// store's `now()` is this process's clock anyway (SQLite is embedded). Statements use it
    /// only through ``nowExpression``, so that a manual ``StoreClock`` can stand in for it.
    public var clockSeconds: String { self == .postgres ? "EXTRACT(EPOCH FROM clock_timestamp())::float8" : "NULL" }

    /// Whether the database keeps the clock that leases are judged by (else it is this
    /// process's, and a statement is given the time).
    public var clockIsTheDatabase: Bool { self == .postgres }

    /// An expression for "now" in seconds with one placeholder, bound to
    /// ``StoreTransaction/nowArgument()``: the time bound to it, or where NULL is bound, the
    /// database clock when the statement runs (PostgreSQL; SQLite's clock is this process's,
    /// so a time is always bound there).
    public var nowExpression: String { self == .postgres ? "COALESCE(?, \(clockSeconds))" : "?" }
}

/// One transaction's access to the database: the only door the engine has.
///
/// SQL is written once, with `?` placeholders, in the dialect both stores accept; each store
/// translates placeholders and runs it. Everything a transaction does commits together or
/// not at all, before the caller's answer is sent.
public protocol StoreTransaction {
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs a query and returns all its rows.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Inserts many rows into `table` at once, as fast as the store can.
    func insertMany(into table: String, columns: [String], rows: [[SQLValue]]) throws
    /// The store's clock (see ``StoreClock``): a manual one replaces the database's.
    var clock: StoreClock { get }
    /// The database's clock, so that leases are judged by one clock across replicas (or the
    /// store's manual clock, when it has one).
    func now() throws -> Date
    /// Runs queries in order and returns each one's rows; a store whose statements are network
    /// round trips sends them all before it waits for the first answer.
    func rows(ofEach queries: [SQLQuery]) throws -> [[SQLRow]]
}

/// One statement and its arguments.
public struct SQLQuery: Sendable {
    public var sql: String
    public var arguments: [SQLValue]
    public init(_ sql: String, _ arguments: [SQLValue]) {
        self.sql = sql
        self.arguments = arguments
    }
}

extension StoreTransaction {
    public func rows(ofEach queries: [SQLQuery]) throws -> [[SQLRow]] {
        try queries.map { try rows($0.sql, $0.arguments) }
    }

    /// The time to bind to ``SQLDialect/nowExpression``: nil where the database's clock
    /// judges leases when the statement runs, else this moment on the store's clock (always
    /// so with a manual clock, which must win over the database's).
    public func nowArgument() throws -> Double? {
        dialect.clockIsTheDatabase && !clock.isManual ? nil : try now().timeIntervalSince1970
    }

    /// The first row of a query, if any.
    public func row(_ sql: String, _ arguments: [SQLValue]) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row as an integer.
    public func int(_ sql: String, _ arguments: [SQLValue]) throws -> Int? {
        try row(sql, arguments)?[0].int
    }
}

/// A database the engine keeps its state in: SQLite (embedded) or PostgreSQL (shared).
public protocol Store: Sendable {
    /// Runs `body` in one read-write transaction, committed durably before this returns.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Runs `body` in a read-only transaction (a consistent snapshot).
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Whether the database answers now (for `/readyz`).
    func isReachable() async -> Bool
    /// Closes the database; no call may follow.
    func close() async throws
    /// The clock the store's transactions judge time by (``StoreTransaction/clock``).
    var clock: StoreClock { get }
    /// A number that changes whenever any write commits to the database (from this process or
    /// another), so that answers derived from it can be reused while it stays the same; nil
    /// when the store cannot tell cheaply (then nothing is reused).
    func snapshotVersion() -> Int?
}

extension Store {
    public func snapshotVersion() -> Int? { nil }
}

/// The database is unreachable or failed underneath the engine: callers answer 503.
public struct StoreUnavailableError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
