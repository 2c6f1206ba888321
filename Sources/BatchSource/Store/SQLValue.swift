/// A value bound to or read from SQL, the same for every store.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    public init(_ v: Int) { self = .int(Int64(v)) }
    public init(_ v: Int?) { self = v.map { .int(Int64($0)) } ?? .null }
    public init(_ v: String?) { self = v.map { .text($0) } ?? .null }
    public init(_ v: Double?) { self = v.map { .double($0) } ?? .null }

    public var int: Int? {
        switch self {
        case .int(let i): return Int(i)
        case .double(let d): return Int(d)
        case .text(let s): return Int(s)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .text(let s): return Double(s)
        default: return nil
        }
    }

    public var text: String? {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

/// The column names of one result, shared by its rows.
public final class SQLColumns: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        // The first of two columns with one name wins, as in SQL's own name resolution.
        self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func position(of name: String) -> Int? { positions[name] }
}

/// One result row. Columns are read by name; by position only the first column of a query
/// that selects one value (``StoreTransaction/int(_:_:)``).
public struct SQLRow: Sendable {
    public var values: [SQLValue]
    public let columns: SQLColumns

    public init(_ values: [SQLValue], columns: SQLColumns) {
        self.values = values
        self.columns = columns
    }

    public subscript(_ i: Int) -> SQLValue { i < values.count ? values[i] : .null }

    /// The value of a column, `.null` for a NULL; a column the query does not have is a
    /// mistake in the engine's SQL and throws.
    public subscript(_ name: String) -> SQLValue {
        get throws(SQLRowError) {
            guard let i = columns.position(of: name), i < values.count else {
                throw SQLRowError(column: name, problem: "is not in the result")
            }
            return values[i]
        }
    }

    public func int(_ name: String) throws(SQLRowError) -> Int {
        guard let value = try self[name].int else {
            throw SQLRowError(column: name, problem: "is NULL or not an integer")
        }
        return value
    }

    public func double(_ name: String) throws(SQLRowError) -> Double {
        guard let value = try self[name].double else {
            throw SQLRowError(column: name, problem: "is NULL or not a number")
        }
        return value
    }

    public func text(_ name: String) throws(SQLRowError) -> String {
        guard let value = try self[name].text else { throw SQLRowError(column: name, problem: "is NULL") }
        return value
    }

    /// A column's value as a string enum (a batch or cursor state).
    public func value<E: RawRepresentable>(_ name: String, as type: E.Type) throws(SQLRowError) -> E
    where E.RawValue == String {
        let text = try text(name)
        guard let value = E(rawValue: text) else {
            throw SQLRowError(column: name, problem: "holds \"\(text)\", not a \(E.self)")
        }
        return value
    }
}

/// A row that does not have what the engine's SQL asked for: the schema and the code disagree.
public struct SQLRowError: Error, CustomStringConvertible, Sendable {
    public var column: String
    public var problem: String
    public var description: String { "column \(column) \(problem)" }
}
