import Foundation
import Logging

/// Everything `batch-source serve` can be told, resolved from flags, `BATCH_SOURCE_*`
/// environment variables and a YAML config file, in that order of precedence.
public struct ServeSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseURL.sqlite(path: DatabaseURL.defaultSQLitePath)
    /// A file holding a bootstrap token (`bs_<id>_<secret>`), stored as admin at start.
    public var tokenFile: String?
    /// The same, straight from `BATCH_SOURCE_BOOTSTRAP_TOKEN` (environment only: a token
    /// on a command line shows in `ps`).
    public var bootstrapToken: APIToken?
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    public var maxBody = 512 * 1024 * 1024
    public var defaultCursor: String?
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    public var shutdownGraceSeconds = 30
    /// The hosts (`host` or `host:port`) that cursors' health gates may call; none by default,
    /// so an admin token cannot make the service fetch from anywhere in its network.
    public var gateHosts: [String] = []

    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// The keys a config file and the flags share.
    public static let keys: Set<String> = [
        "listen", "database", "token-file", "log-level", "log-format", "max-body", "default-cursor", "shutdown-grace",
        "gate-hosts",
    ]

    public init() {}

    /// Resolves every setting; each error names the source of the bad value.
    public static func resolve(_ sources: SettingsSources) throws(ConfigurationError) -> ServeSettings {
        var s = ServeSettings()
        if let (v, origin) = sources.value("listen") {
            (s.host, s.port) = try parseListen(v, origin: origin)
        }
        if let (v, _) = sources.value("database") { s.database = try DatabaseURL(parsing: v) }
        if let (v, _) = sources.value("token-file") { s.tokenFile = v }
        if let (v, origin) = sources.value("log-level") {
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw ConfigurationError(
                    "\(origin): log level must be one of trace, debug, info, notice, warning, error, critical; got \(v)"
                )
            }
            s.logLevel = level
        }
        if let (v, origin) = sources.value("log-format") {
            guard let format = LogFormat(rawValue: v.lowercased()) else {
                throw ConfigurationError("\(origin): log format must be text or json; got \(v)")
            }
            s.logFormat = format
        }
        if let (v, origin) = sources.value("max-body") { s.maxBody = try parseSize(v, origin: origin) }
        if let (v, _) = sources.value("default-cursor") { s.defaultCursor = v.isEmpty ? nil : v }
        if let (v, origin) = sources.value("gate-hosts") {
            s.gateHosts = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            do { _ = try GateAllowList(s.gateHosts) } catch {
                throw ConfigurationError("\(origin): gate-hosts: \(error)")
            }
        }
        if let (v, origin) = sources.value("shutdown-grace") {
            guard let n = Int(v), n >= 0 else {
                throw ConfigurationError("\(origin): shutdown grace must be whole seconds ≥ 0; got \(v)")
            }
            s.shutdownGraceSeconds = n
        }
        if let text = sources.environment["BATCH_SOURCE_BOOTSTRAP_TOKEN"], !text.isEmpty {
            guard let token = APIToken(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ConfigurationError(
                    "BATCH_SOURCE_BOOTSTRAP_TOKEN is not a token of the form bs_<16 hex>_<secret>; make one with "
                        + "`batch-source token create`"
                )
            }
            s.bootstrapToken = token
        }
        return s
    }

    /// The token in `tokenFile`, if any: the file's first non-empty line.
    public func tokenFromFile() throws(ConfigurationError) -> APIToken? {
        guard let tokenFile else { return nil }
        let text: String
        do {
            text = try String(contentsOfFile: tokenFile, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read token file \(tokenFile): \(error.localizedDescription)")
        }
        guard
            let line = text.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }).first(
                where: { !$0.isEmpty }),
            let token = APIToken(parsing: line)
        else {
            throw ConfigurationError("token file \(tokenFile) holds no token of the form bs_<16 hex>_<secret>")
        }
        return token
    }

    /// `HOST:PORT`, `:PORT` or `[IPv6]:PORT`.
    static func parseListen(_ text: String, origin: String) throws(ConfigurationError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigurationError("\(origin): listen address must be HOST:PORT (e.g. 127.0.0.1:8080); got \(text)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigurationError("\(origin): port must be 0-65535 in \(text)")
        }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Bytes, with an optional K/M/G suffix (powers of 1024).
    static func parseSize(_ text: String, origin: String) throws(ConfigurationError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "IB", with: "")
            .replacingOccurrences(of: "B", with: "")
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var multiplier = 1
        var digits = Substring(t)
        if let last = t.last, let m = units[last] {
            multiplier = m
            digits = t.dropLast()
        }
        guard let n = Int(digits), n > 0 else {
            throw ConfigurationError(
                "\(origin): size must be a positive number of bytes, optionally with K, M or G; got \(text)")
        }
        return n * multiplier
    }
}
