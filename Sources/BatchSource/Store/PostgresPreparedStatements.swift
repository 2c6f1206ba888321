import PostgresNIO
import Synchronization

/// The engine's statements prepared on one connection, so that PostgreSQL parses and plans
/// each of them once per session instead of on every call: every statement of a claim runs
/// under the cursor's row lock, so planning time would be lock time (figures in the README).
///
/// PostgresNIO prepares statements by name only for statement types known at compile time;
/// the engine's SQL is runtime text, so this uses its `prepare(query:)`, which leaves the
/// parameter types to the server. The types an unnamed statement gets from its values are
/// written into the text instead (`$1::int8`; a NULL is left to the server), so a statement
/// reads the same prepared or not; a call whose values have other types gets a statement of
/// its own. A prepared statement outlives ROLLBACK and lasts as long as its session, so this
/// lives as long as its connection.
///
/// A pooler in transaction mode (PgBouncer before 1.21) hands each transaction another
/// session, where the names are unknown: `prepared_statements=off` in the database URL turns
/// this off.
final class PostgresPreparedStatements: Sendable {
    /// A bound, should callers ever build SQL per value: past it, statements run unprepared.
    static let limit = 256

    /// A statement is its SQL text with the types its values gave the placeholders.
    struct Key: Hashable, Sendable {
        let sql: String
        let types: [String?]
    }

    private let statements = Mutex<[Key: PreparedQuery]>([:])
    private let enabled: Bool

    init(enabled: Bool = true) {
        self.enabled = enabled
    }

    /// What to do for one statement (the engine's SQL, `?` placeholders) with these values.
    enum Use {
        /// Run this prepared statement.
        case prepared(PreparedQuery)
        /// Prepare `text` (PostgreSQL placeholders, typed) under `key`, then run it.
        case prepare(key: Key, text: String)
        /// Send it as an unnamed statement: DDL, transaction control, over the bound, or off.
        case unprepared
    }

    func use(for sql: String, _ arguments: [SQLValue]) -> Use {
        guard enabled, Self.isPreparable(sql) else { return .unprepared }
        let types = arguments.map(Self.typeName)
        let key = Key(sql: sql, types: types)
        return statements.withLock { s in
            if let statement = s[key] { return .prepared(statement) }
            guard s.count < Self.limit else { return .unprepared }
            return .prepare(key: key, text: PlaceholderTranslation.translate(uncached: sql, types: types))
        }
    }

    /// Keeps a statement the server prepared.
    func keep(_ statement: PreparedQuery, as key: Key) {
        statements.withLock { s in s[key] = statement }
    }

    /// Forgets every statement, after the server said a cached plan no longer fits (a
    /// migration changed a table under it); the next uses prepare again.
    func forgetAll() {
        statements.withLock { s in s.removeAll() }
    }

    /// The server prepares SELECT, INSERT, UPDATE, DELETE and VALUES (with or without WITH);
    /// anything else is sent as it is.
    static func isPreparable(_ sql: String) -> Bool {
        let word = sql.utf8.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D || $0 == 0x28 })
            .prefix(while: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A })
        switch String(decoding: word, as: UTF8.self).uppercased() {
        case "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES": return true
        default: return false
        }
    }

    /// The parameter type an unnamed statement would give this value (nil: the server's pick).
    static func typeName(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .int: return "int8"
        case .double: return "float8"
        case .text: return "text"
        case .blob: return "bytea"
        }
    }

    /// A value in the legacy form prepared statements are run with.
    static func data(_ value: SQLValue) -> PostgresData {
        switch value {
        case .null: return .null
        case .int(let i): return PostgresData(int64: i)
        case .double(let d): return PostgresData(double: d)
        case .text(let s): return PostgresData(string: s)
        case .blob(let b): return PostgresData(type: .bytea, formatCode: .binary, value: ByteBuffer(bytes: b))
        }
    }
}
