import Foundation

/// How to sign in to AWX: an OAuth2 token (Bearer) or a user name and password (Basic).
enum AWXAuth: Sendable {
    case bearer(String)
    case basic(user: String, password: String)

    var headerValue: String {
        switch self {
        case .bearer(let token): return "Bearer \(token)"
        case .basic(let user, let password): return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }
}

/// Where AWX is and how to talk to it, read the way AWX's own tools (awxkit, the
/// ansible.controller collection) read it: flags first, then `CONTROLLER_*`, then the older
/// `TOWER_*` names.
struct AWXSettings: Sendable {
    /// The base URL, e.g. `https://awx.example.com` (no trailing slash).
    var host: String
    var auth: AWXAuth
    var verifySSL: Bool
    var caFile: String?
    /// How long one request may take before it counts as a timeout.
    var requestTimeout: Duration = .seconds(30)
    /// How often a timeout, a refused connection or a 5xx is retried before it is reported.
    var retries: Int = 5
    /// The first pause between retries; it doubles each time, up to 30 s.
    var retryDelay: Duration = .seconds(1)

    struct Given {
        var host: String?
        var oauthToken: String?
        var username: String?
        var password: String?
        var verifySSL: String?
        var caFile: String?
    }

    /// Reads the settings from flags and the environment; a missing piece is an error that
    /// names every place it could come from. Secrets never appear in the messages.
    static func resolve(_ given: Given, environment env: [String: String]) throws -> AWXSettings {
        func pick(_ flag: String?, _ names: [String]) -> String? {
            if let flag, !flag.isEmpty { return flag }
            for name in names { if let v = env[name], !v.isEmpty { return v } }
            return nil
        }
        guard var host = pick(given.host, ["CONTROLLER_HOST", "TOWER_HOST"]) else {
            throw CLIError(
                "no AWX host: set CONTROLLER_HOST (or TOWER_HOST) or --controller-host, e.g. https://awx.example.com",
                exitCode: DriveExit.usage)
        }
        if !host.contains("://") { host = "https://" + host }  // as the ansible.controller collection does
        guard host.hasPrefix("http://") || host.hasPrefix("https://") else {
            throw CLIError("AWX host \(host) must be an http:// or https:// URL", exitCode: DriveExit.usage)
        }
        while host.hasSuffix("/") { host.removeLast() }

        let auth: AWXAuth
        if let token = pick(given.oauthToken, ["CONTROLLER_OAUTH_TOKEN", "TOWER_OAUTH_TOKEN"]) {
            auth = .bearer(token)
        } else if let user = pick(given.username, ["CONTROLLER_USERNAME", "TOWER_USERNAME"]) {
            guard let password = pick(given.password, ["CONTROLLER_PASSWORD", "TOWER_PASSWORD"]) else {
                throw CLIError(
                    "AWX user \(user) has no password: set CONTROLLER_PASSWORD (or TOWER_PASSWORD)",
                    exitCode: DriveExit.usage)
            }
            auth = .basic(user: user, password: password)
        } else {
            throw CLIError(
                """
                no AWX credentials: set CONTROLLER_OAUTH_TOKEN (an OAuth2 token, used as Bearer) or \
                CONTROLLER_USERNAME and CONTROLLER_PASSWORD (TOWER_* names work too)
                """, exitCode: DriveExit.usage)
        }

        var verify = true
        if let text = pick(given.verifySSL, ["CONTROLLER_VERIFY_SSL", "TOWER_VERIFY_SSL"]) {
            guard let value = parseBoolean(text) else {
                throw CLIError(
                    "CONTROLLER_VERIFY_SSL / --controller-verify-ssl must be true or false, got \(text)",
                    exitCode: DriveExit.usage)
            }
            verify = value
        }
        let caFile = pick(given.caFile, ["CONTROLLER_CA_FILE"])
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw CLIError("CA file \(caFile) cannot be read", exitCode: DriveExit.usage)
        }
        return AWXSettings(host: host, auth: auth, verifySSL: verify, caFile: caFile)
    }

    /// Ansible's boolean words (`boolean()` filter): yes/no, on/off, true/false, 1/0.
    static func parseBoolean(_ text: String) -> Bool? {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "1", "true", "yes", "on", "y", "t": return true
        case "0", "false", "no", "off", "n", "f": return false
        default: return nil
        }
    }
}
