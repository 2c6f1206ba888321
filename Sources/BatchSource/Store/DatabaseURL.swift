/// Where the service keeps its state: `sqlite:///path/file.sqlite` or `postgres://…`.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "data/batch-source.sqlite"

    /// Parses a database URL; a bare path means SQLite.
    public init(parsing text: String) throws(ConfigurationError) {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigurationError("database URL \(text) names no file; use sqlite:///path/file.sqlite") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.contains("://") {
            throw ConfigurationError("unsupported database URL \(Self.redacted(text)); use sqlite:///path/file.sqlite or postgres://user@host/db")
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
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}

/// A setting that cannot be used, with what to change.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
