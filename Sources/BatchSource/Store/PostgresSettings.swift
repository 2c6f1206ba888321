import Foundation

/// Where and how to reach PostgreSQL, read from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=require&pool_size=8`.
///
/// Understood query parameters: `sslmode` (disable, allow, prefer (default), require,
/// verify-ca, verify-full), `sslrootcert` (CA file), `pool_size` (connections per process,
/// default 8), `connect_timeout` (seconds, default 10), `application_name`, `host` (a
/// directory holding the server's Unix socket, as in libpq), `prepared_statements` (on
/// (default) or off: off for a pooler in transaction mode, which hands each transaction
/// another server session, such as PgBouncer before 1.21). Without a password in the URL,
/// `PGPASSWORD` is used, so the password need not appear on a command line.
public struct PostgresSettings: Sendable, Hashable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host = "localhost"
    public var port = 5432
    public var user = "postgres"
    var password: String?
    public var database = "postgres"
    public var sslMode = SSLMode.prefer
    public var sslRootCert: String?
    public var poolSize = 8
    public var connectTimeoutSeconds = 10
    public var applicationName = "batch-source"
    /// Whether the engine's statements are prepared once per connection (see
    /// ``PostgresPreparedStatements``).
    public var preparedStatements = true

    /// The server's Unix socket, when `host` names a directory (libpq's rule).
    public var unixSocketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    public init(parsing url: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError)
    {
        let shown = DatabaseURL.redacted(url)
        guard let schemeEnd = url.range(of: "://") else {
            throw ConfigurationError("database URL \(shown) is not of the form postgres://user@host:port/database")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], what: "user name", in: shown)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], what: "password", in: shown)
            } else {
                user = try Self.decode(userInfo, what: "user name", in: shown)
            }
        }
        try parseHostPort(rest, in: shown)
        if !path.isEmpty { database = try Self.decode(path, what: "database name", in: shown) }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", what: key, in: shown)
            try apply(key, value, in: shown)
        }
        if password == nil, let p = environment["PGPASSWORD"], !p.isEmpty { password = p }
        if user.isEmpty { throw ConfigurationError("database URL \(shown) names an empty user") }
    }

    private mutating func parseHostPort(_ text: Substring, in shown: String) throws(ConfigurationError) {
        var hostPart = text
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw ConfigurationError("database URL \(shown): unclosed [ in the IPv6 host")
            }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        if !hostPart.isEmpty { host = try Self.decode(hostPart, what: "host", in: shown) }
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else {
                throw ConfigurationError("database URL \(shown): port must be 1-65535, got \(portPart)")
            }
            port = p
        }
    }

    private mutating func apply(_ key: String, _ value: String, in shown: String) throws(ConfigurationError) {
        func positive(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let n = Int(value), range.contains(n) else {
                throw ConfigurationError(
                    "database URL \(shown): \(key) must be a whole number in "
                        + "\(range.lowerBound)...\(range.upperBound), got \(value)"
                )
            }
            return n
        }
        switch key {
        case "sslmode":
            guard let mode = SSLMode(rawValue: value) else {
                throw ConfigurationError(
                    "database URL \(shown): sslmode must be one of "
                        + "\(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(value)"
                )
            }
            sslMode = mode
        case "sslrootcert": sslRootCert = value
        case "pool_size": poolSize = try positive(1...1000)
        case "connect_timeout": connectTimeoutSeconds = try positive(1...3600)
        case "application_name": applicationName = value
        case "host": host = value
        case "port": port = try positive(1...65535)
        case "user": user = value
        case "password": password = value
        case "dbname": database = value
        case "prepared_statements":
            switch value {
            case "on", "true", "1": preparedStatements = true
            case "off", "false", "0": preparedStatements = false
            default:
                throw ConfigurationError("database URL \(shown): prepared_statements must be on or off, got \(value)")
            }
        default:
            throw ConfigurationError(
                "database URL \(shown): unknown parameter \(key); known: sslmode, sslrootcert, pool_size, "
                    + "connect_timeout, application_name, host, port, user, password, dbname, prepared_statements"
            )
        }
    }

    private static func decode(_ text: Substring, what: String, in shown: String) throws(ConfigurationError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw ConfigurationError("database URL \(shown): the \(what) has a malformed %-escape")
        }
        return decoded
    }

    /// The server as people should see it: never the password.
    public var endpointDescription: String {
        "postgres://\(user)@\(unixSocketPath ?? "\(host):\(port)")/\(database)"
    }
}
