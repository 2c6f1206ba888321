/// Which transport a run uses: the built-in ``SocketTransport`` for `http://` without a proxy,
/// ``CurlTransport`` (libcurl, loaded now) for `https://` and for anything a proxy may carry.
///
/// The rule only has to know when libcurl would surely connect directly; whenever a proxy
/// variable could apply, libcurl is used and decides itself exactly as it always did.
public enum TransportSelection {
    /// Proxy variables that can apply to an http:// request. libcurl reads only the lower-case
    /// `http_proxy` (the upper-case one can be set by a CGI request's `Proxy:` header), but
    /// either being set sends the run to libcurl, which then applies its own rule.
    static let httpProxyVariables = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]

    public enum Choice: Equatable, Sendable {
        case builtIn
        /// libcurl, and why (for the message when it is missing).
        case libcurl(needs: String)
    }

    public static func choose(_ service: ServiceURL, environment: [String: String]) -> Choice {
        guard service.base.lowercased().hasPrefix("http://") else { return .libcurl(needs: "https") }
        guard let variable = httpProxyVariables.first(where: { !(environment[$0] ?? "").isEmpty }) else { return .builtIn }
        let host = (try? HTTPEndpoint(service))?.host ?? ""
        if bypassesProxy(host: host, noProxy: environment["no_proxy"] ?? environment["NO_PROXY"] ?? "") { return .builtIn }
        return .libcurl(needs: "http through the proxy in \(variable)")
    }

    /// Whether `no_proxy` surely exempts `host`, by libcurl's rule: `*` exempts every host; an
    /// entry exempts the host equal to it and, as a domain, the hosts below it (a leading dot
    /// changes nothing). Entries libcurl may read differently (CIDR ranges on newer versions)
    /// are not matched here, which only leaves the decision to libcurl.
    static func bypassesProxy(host: String, noProxy: String) -> Bool {
        let host = host.lowercased()
        guard !host.isEmpty else { return false }
        // An address is never "below" a domain: 127.0.0.1 is not in 0.0.1.
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        for entry in noProxy.split(whereSeparator: { $0 == "," || $0 == " " }) {
            var name = entry.lowercased()
            if name == "*" { return true }
            while name.hasPrefix(".") { name.removeFirst() }
            if name.hasSuffix(".") { name.removeLast() }
            guard !name.isEmpty else { continue }
            if host == name || !isAddress && host.hasSuffix("." + name) { return true }
        }
        return false
    }

    /// The transport for a run's settings.
    public static func make(_ options: TransportOptions, environment: [String: String]) throws(TransportFailure) -> any HTTPTransport {
        switch choose(options.service, environment: environment) {
        case .builtIn: return try SocketTransport(options)
        case .libcurl(let needs): return try CurlTransport(options, needs: needs)
        }
    }
}
