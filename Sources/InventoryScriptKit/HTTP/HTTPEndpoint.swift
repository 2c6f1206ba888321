/// Where the built-in client connects and what it puts in the request line: the host, port and
/// path prefix of an `http://` service address.
struct HTTPEndpoint: Sendable, Hashable {
    /// As getaddrinfo takes it: an IPv6 literal without its brackets.
    var host: String
    var port: Int
    /// The `Host` header: the address's host (brackets kept), `:port` unless it is 80.
    var hostHeader: String
    /// The base address's path (`/batches` of `http://proxy/batches`), without a trailing
    /// slash; empty for most services. Request paths are appended to it.
    var pathPrefix: String

    /// Parses `http://[user@]host[:port][/prefix]`. Credentials in the address are dropped: the
    /// request carries the token's `Authorization` header, which libcurl too sends instead of
    /// the address's user and password when both are there.
    init(_ service: ServiceURL) throws(TransportFailure) {
        let base = service.base
        guard base.lowercased().hasPrefix("http://") else {
            throw TransportFailure(.setup, "the built-in HTTP client speaks http:// only, not \(service)")
        }
        let rest = base.utf8.dropFirst(7)
        let authorityEnd = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        var authority = Substring(rest[..<authorityEnd])
        pathPrefix = String(Substring(rest[authorityEnd...]))
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw TransportFailure(.setup, "the IPv6 address in \(service) lacks its closing ]")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw TransportFailure(.setup, "unexpected text after the IPv6 address in \(service)")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw TransportFailure(.setup, "the port in \(service) is not a number from 1 to 65535")
            }
            port = number
        } else {
            port = 80
        }
        guard !host.isEmpty else { throw TransportFailure(.setup, "\(service) has no host name") }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == 80 ? shownHost : "\(shownHost):\(port)"
    }
}
