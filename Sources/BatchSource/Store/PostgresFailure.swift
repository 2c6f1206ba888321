import NIOCore
import PostgresNIO

/// A statement PostgreSQL refused, with what the server said (never the bound values, which
/// may hold inventory secrets).
public struct PostgresStatementError: Error, CustomStringConvertible, Sendable {
    /// The SQLSTATE code, e.g. `40001`.
    public var sqlState: String
    public var message: String
    public var statement: String

    public var description: String {
        "PostgreSQL error \(sqlState): \(message) (in: "
            + "\(statement.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(200)))"
    }
}

/// What the store does about a failure: give up with 503, run the transaction again, or pass
/// the error on.
enum PostgresFailure {
    /// The database is gone or going: the connection is dropped and callers answer 503.
    case unavailable(String)
    /// Another transaction got in the way (serialization failure, deadlock, a concurrent
    /// insert of the same key): running the whole transaction again resolves it.
    case retryable(PostgresStatementError)
    /// Anything else: the statement's own error.
    case other(any Error)

    static func classify(_ error: any Error, statement: String) -> PostgresFailure {
        if let e = error as? PostgresStatementError { return classify(sqlState: e.sqlState, e) }
        if let e = error as? PSQLError {
            switch e.code {
            case .server:
                let state = e.serverInfo?[.sqlState] ?? "XX000"
                let wrapped = PostgresStatementError(
                    sqlState: state, message: e.serverInfo?[.message] ?? "server error", statement: statement)
                return classify(sqlState: state, wrapped)
            case .queryCancelled, .tooManyParameters, .invalidCommandTag:
                return .other(PostgresStatementError(sqlState: "", message: "\(e.code)", statement: statement))
            default:
                // Connection-level trouble: closed, unclean shutdown, TLS, auth, protocol.
                return .unavailable(describe(e))
            }
        }
        // Prepared statements are run through PostgresNIO's older interface, which reports in
        // its older error type.
        if let e = error as? PostgresError {
            switch e {
            case .server(let info):
                let state = info.fields[.sqlState] ?? "XX000"
                let wrapped = PostgresStatementError(
                    sqlState: state, message: info.fields[.message] ?? "server error", statement: statement)
                return classify(sqlState: state, wrapped)
            case .connectionClosed:
                return .unavailable("the connection closed")
            case .protocol(let why):
                return .unavailable("protocol error: \(why)")
            }
        }
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return .unavailable("\(error)")
        }
        return .other(error)
    }

    private static func classify(sqlState: String, _ error: PostgresStatementError) -> PostgresFailure {
        switch sqlState {
        case "40001", "40P01", "23505", "23503":
            return .retryable(error)
        default:
            break
        }
        if isStalePlan(error) { return .retryable(error) }
        // 08: connection exceptions; 57P01-03: admin/crash shutdown, cannot connect now;
        // 53: insufficient resources (too many connections, disk full).
        if sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState.hasPrefix("53") {
            return .unavailable("\(error.message) (SQLSTATE \(sqlState))")
        }
        return .other(error)
    }

    /// The server refused a prepared statement because a table under it changed (another
    /// replica migrated): prepared again, the transaction succeeds.
    static func isStalePlan(_ error: any Error) -> Bool {
        guard let e = error as? PostgresStatementError else { return false }
        return e.sqlState == "0A000" && e.message.hasPrefix("cached plan must not change result type")
    }

    /// A connection-level error in words, without anything from the connection string.
    static func describe(_ e: PSQLError) -> String {
        var text = "\(e.code)"
        if let message = e.serverInfo?[.message] { text += ": \(message)" }
        if let underlying = e.underlying { text += " (\(underlying))" }
        return text
    }
}
