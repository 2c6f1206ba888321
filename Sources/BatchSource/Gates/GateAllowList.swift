import Foundation
import InventoryModel

#if canImport(Glibc)
    import Glibc
#endif

/// The hosts health gates may call, from the serve setting `gate_hosts`: entries like
/// `prometheus.internal:9090`, `health.example.com` (every port of that host), `127.0.0.1`
/// or `[::1]:9090`. Gates come from admin tokens, and the service sits inside the network:
/// without this list a token could make it fetch any internal URL and read the answer back
/// as evidence. An empty list allows no gate at all.
///
/// Hosts are compared as written (case-insensitively; IPv6 literals in canonical form),
/// never resolved: the operator lists the names and addresses gates may use.
struct GateAllowList: Sendable {
    /// One entry: a host and, when given, the one port allowed on it.
    struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// Lowercased; an IPv6 literal in canonical form, without brackets.
        var host: String
        /// nil: every port.
        var port: Int?

        var description: String {
            let shown = host.contains(":") ? "[\(host)]" : host
            return port.map { "\(shown):\($0)" } ?? shown
        }

        func allows(host: String, port: Int) -> Bool {
            self.host == host && (self.port == nil || self.port == port)
        }
    }

    /// The serve setting this list comes from, as messages name it.
    static let settingName = "gate_hosts"
    /// How many entries a refusal lists before `and N more`.
    static let entriesShown = 10

    let entries: [Entry]

    /// Parses the setting's entries; white space around an entry is ignored, empty entries
    /// are skipped (a trailing comma in an environment variable is no mistake worth failing
    /// a start over).
    init(_ entries: [String]) throws(GateAllowListError) {
        var parsed: [Entry] = []
        for raw in entries {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            parsed.append(try Self.parseEntry(text))
        }
        self.entries = parsed
    }

    /// No gate allowed.
    static let empty = GateAllowList(entries: [])

    private init(entries: [Entry]) { self.entries = entries }

    /// One entry: `host`, `host:port`, `[v6]` or `[v6]:port`.
    static func parseEntry(_ text: String) throws(GateAllowListError) -> Entry {
        if text.contains("://") || text.contains("/") {
            throw GateAllowListError(entry: text, reason: "write a host or host:port, without a scheme or a path")
        }
        if text.contains("*") {
            throw GateAllowListError(entry: text, reason: "wildcards are not taken; list each host")
        }
        if text.contains("@") {
            throw GateAllowListError(entry: text, reason: "write a host or host:port, without a user name")
        }
        do {
            let (host, port) = try GateURL.parseHostAndPort(Substring(text))
            return Entry(host: canonicalHost(host), port: port)
        } catch {
            throw GateAllowListError(entry: text, reason: "\(error.description)")
        }
    }

    /// Why `gate` may not call its URL's host, or nil when it may. `index` is the gate's place
    /// in the cursor's `gates`, for the message (`gates[0] (db-errors): …`).
    func refusal(for gate: GateSpec, at index: Int? = nil) -> String? {
        let label = gate.label(index)
        let endpoint: GateURL
        do { endpoint = try GateURL(parsing: gate.url) } catch {
            return "\(label): url \(error.description)"
        }
        // The HTTP client parses the URL with Foundation; should it ever read another host or
        // port out of it than we did, the check above would judge the wrong host.
        guard Self.foundationAgrees(with: endpoint, url: gate.url) else {
            return
                "\(label): url is not read the same way by the HTTP client; write it plainly (scheme://host:port/path)"
        }
        let host = Self.canonicalHost(endpoint.host)
        if entries.contains(where: { $0.allows(host: host, port: endpoint.effectivePort) }) { return nil }
        let shown = "\(host.contains(":") ? "[\(host)]" : host):\(endpoint.effectivePort)"
        guard !entries.isEmpty else {
            return
                "\(label): host \(shown) is not allowed: the serve setting \(Self.settingName) is empty, so no gate may be used; ask the service's operator to add it"
        }
        var allowed = entries.prefix(Self.entriesShown).map(\.description).joined(separator: ", ")
        if entries.count > Self.entriesShown { allowed += " and \(entries.count - Self.entriesShown) more" }
        return
            "\(label): host \(shown) is not on the serve setting \(Self.settingName) (allowed: \(allowed)); ask the service's operator to add it"
    }

    /// Whether Foundation's URL reads the same scheme, host and port out of `url`.
    static func foundationAgrees(with endpoint: GateURL, url: String) -> Bool {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), var host = parsed.host else {
            return false
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return scheme == endpoint.scheme && canonicalHost(host.lowercased()) == canonicalHost(endpoint.host)
            && parsed.port == endpoint.port && parsed.user == nil && parsed.password == nil
    }

    /// IPv6 literals in their canonical text (`0:0::1` is `::1`); other hosts unchanged.
    static func canonicalHost(_ host: String) -> String {
        guard host.contains(":") else { return host }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return host }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return host }
        return String(cString: buffer)
    }
}

/// An entry of `gate_hosts` that is not a host or host:port.
struct GateAllowListError: Error, Sendable, Equatable, CustomStringConvertible {
    var entry: String
    var reason: String
    var description: String {
        "\(GateAllowList.settingName) entry \"\(entry)\": \(reason)"
    }
}
