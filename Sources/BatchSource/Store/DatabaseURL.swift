/// Where the service keeps its state: `sqlite:///path/file.sqlite` or `postgres://…`.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "data/batch-source.sqlite"

    /// Parses a database URL; a bare path means SQLite.
    public init(parsing text: String) throws(ConfigurationError) {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigurationError("database URL \(text) names no file; use sqlite:///path/file.sqlite")
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            _ = try PostgresSettings(parsing: text, environment: [:])
            self = .postgres(url: text)
        } else if text.contains("://") {
            throw ConfigurationError(
                "unsupported database URL \(Self.redacted(text)); use sqlite:///path/file.sqlite or "
                    + "postgres://user@host/db"
            )
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The URL with any password replaced, fit for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let url): return Self.redacted(url)
        }
    }

    static func redacted(_ url: String) -> String {
        var text = url
        // A password may also come as a query parameter (libpq accepts `?password=`).
        if let q = text.firstIndex(of: "?") {
            let params = text[text.index(after: q)...].split(separator: "&", omittingEmptySubsequences: false).map {
                pair in
                pair.hasPrefix("password=") ? "password=***" : String(pair)
            }
            text = String(text[...q]) + params.joined(separator: "&")
        }
        let authority = text.firstIndex(of: "?").map { text[..<$0] } ?? text[...]
        guard let scheme = authority.range(of: "://"), let at = authority[scheme.upperBound...].lastIndex(of: "@")
        else { return text }
        let userInfo = authority[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// A setting that cannot be used, with what to change.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
