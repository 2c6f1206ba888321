/// What a health gate checks.
public enum GateKind: String, Codable, Sendable, CaseIterable {
    /// GET a URL: healthy on 2xx, and when `json_field` is set, when that field of the body
    /// equals `equals`.
    case http
    /// An instant query to a Prometheus server, alert-style: healthy when it returns no
    /// series, unhealthy when it returns any (the series are the evidence).
    case prometheus
}

/// One health gate of a cursor (an item of the `gates` setting): a check that must pass
/// before each new batch after the first. A failing gate is checked again every
/// `interval_seconds` until it passes or `timeout_seconds` runs out; then the cursor halts
/// with the gate's name and evidence.
///
/// JSON: `{"name": "db-errors", "type": "prometheus", "url": "http://127.0.0.1:9090",
/// "query": "rate(errors[5m]) > 0", "interval_seconds": 30, "timeout_seconds": 600}` or
/// `{"name": "lb", "type": "http", "url": "https://lb.example.com/health",
/// "json_field": "status.healthy", "equals": true}`.
///
/// Decoding checks types and refuses unknown fields; ``problem`` checks the values and the
/// rules between fields. Whether the URL's host may be called is the service's allow-list's
/// business, not the wire type's.
public struct GateSpec: Codable, Sendable, Hashable {
    /// Names the gate in the cursor's state and its halt reason: 1–64 of `[A-Za-z0-9_.-]`.
    public var name: String
    public var type: GateKind
    /// `http`: the URL to GET. `prometheus`: the server's base URL, like
    /// `http://127.0.0.1:9090` (the query goes to `{url}/api/v1/query`). http or https only,
    /// and never with a user name or password in it.
    public var url: String
    /// `prometheus` only (and required there): the PromQL instant query.
    public var query: String?
    /// `http` only: a dot path into the JSON body, like `status.healthy` or `checks.0.ok`
    /// (a number indexes an array). Goes with ``equals``.
    public var jsonField: String?
    /// `http` only: the JSON value ``jsonField`` must have (any JSON value, `null` included).
    public var equals: JSONValue?
    /// Seconds between checks of a failing gate.
    public var intervalSeconds: Int
    /// Seconds a gate may keep failing before the cursor halts.
    public var timeoutSeconds: Int

    public static let defaultIntervalSeconds = 30
    public static let defaultTimeoutSeconds = 600

    public init(
        name: String, type: GateKind, url: String, query: String? = nil, jsonField: String? = nil,
        equals: JSONValue? = nil, intervalSeconds: Int = GateSpec.defaultIntervalSeconds,
        timeoutSeconds: Int = GateSpec.defaultTimeoutSeconds
    ) {
        self.name = name
        self.type = type
        self.url = url
        self.query = query
        self.jsonField = jsonField
        self.equals = equals
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, url, query, equals
        case jsonField = "json_field"
        case intervalSeconds = "interval_seconds"
        case timeoutSeconds = "timeout_seconds"
    }

    /// The fields of a gate, as a create request or a cursor shows them.
    public static let fieldNames = CodingKeys.allCases.map(\.rawValue)

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(Self.fieldNames)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(GateKind.self, forKey: .type)
        url = try c.decode(String.self, forKey: .url)
        query = try c.decodeIfPresent(String.self, forKey: .query)
        jsonField = try c.decodeIfPresent(String.self, forKey: .jsonField)
        // decodeIfPresent reads `"equals": null` as absent; null is a value a field may have.
        // (Not `contains ? decode : nil`: JSONValue takes `nil` as a literal, which is `.null`.)
        if c.contains(.equals) {
            equals = .some(try c.decode(JSONValue.self, forKey: .equals))
        } else {
            equals = Optional<JSONValue>.none
        }
        intervalSeconds = try c.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? Self.defaultIntervalSeconds
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? Self.defaultTimeoutSeconds
    }

    /// The URL's scheme, host and port, or nil when it is not a URL a gate may have.
    public var endpoint: GateURL? { try? GateURL(parsing: url) }

    /// What is wrong with this gate, naming the field, or `nil` when it can be used. The
    /// message never repeats the URL: it may hold a secret.
    public var problem: String? {
        if let p = WireLimits.check("name", text: name, WireLimits.gateNameLength) { return p }
        if !name.unicodeScalars.allSatisfy(Self.isNameCharacter) {
            return "name may hold only letters, digits and _ . -"
        }
        if let p = WireLimits.check("url", text: url, WireLimits.gateURLLength) { return p }
        let endpoint: GateURL
        do { endpoint = try GateURL(parsing: url) } catch { return "url \(error.description)" }
        if let p = WireLimits.check("interval_seconds", intervalSeconds, WireLimits.gateIntervalSeconds) { return p }
        if let p = WireLimits.check("timeout_seconds", timeoutSeconds, WireLimits.gateTimeoutSeconds) { return p }
        if intervalSeconds > timeoutSeconds {
            return
                "interval_seconds (\(intervalSeconds)) must not exceed timeout_seconds (\(timeoutSeconds)): the gate would be checked only once"
        }
        switch type {
        case .prometheus:
            if jsonField != nil { return "json_field is for http gates only" }
            if equals != nil { return "equals is for http gates only" }
            guard let query else { return "query is required for a prometheus gate (a PromQL instant query)" }
            if let p = WireLimits.check("query", text: query, WireLimits.gateQueryLength) { return p }
            if query.allSatisfy(\.isWhitespace) { return "query must not be blank" }
            if endpoint.hasQueryOrFragment {
                return "url of a prometheus gate is the server's base URL (like http://127.0.0.1:9090), without ? or #"
            }
        case .http:
            if query != nil { return "query is for prometheus gates only" }
            switch (jsonField, equals) {
            case (nil, nil): break
            case (nil, _?): return "equals needs json_field (the field of the body that must have this value)"
            case (_?, nil): return "json_field needs equals (the value the field must have)"
            case (let field?, _?):
                if let p = WireLimits.check("json_field", text: field, WireLimits.gateJSONFieldLength) { return p }
                if Self.pathComponents(field) == nil {
                    return "json_field must be a dot path like status.healthy or checks.0.ok, without empty parts"
                }
            }
        }
        return nil
    }

    /// What is wrong with a cursor's list of gates, each problem prefixed with the gate it
    /// is about (`gates[1] (db-errors): …`), or nil.
    public static func problem(of gates: [GateSpec]) -> String? {
        if gates.count > WireLimits.gatesPerCursor.upperBound {
            return "gates may hold at most \(WireLimits.gatesPerCursor.upperBound) gates, got \(gates.count)"
        }
        var seen: [String: Int] = [:]
        for (index, gate) in gates.enumerated() {
            if let p = gate.problem { return "\(gate.label(index)): \(p)" }
            // Names must be unique: the halt reason and the stored results go by name.
            if let first = seen[gate.name] {
                return "\(gate.label(index)): name \(gate.name) is taken by gates[\(first)]; gate names must be unique"
            }
            seen[gate.name] = index
        }
        return nil
    }

    /// How messages name the gate: `gates[1] (db-errors)` at `index` of a cursor's gates,
    /// `gate db-errors` without one; the name is left out when it is not one we can show safely.
    public func label(_ index: Int? = nil) -> String {
        let showable =
            WireLimits.gateNameLength.contains(name.count) && name.unicodeScalars.allSatisfy(Self.isNameCharacter)
        switch (index, showable) {
        case (let i?, true): return "gates[\(i)] (\(name))"
        case (let i?, false): return "gates[\(i)]"
        case (nil, true): return "gate \(name)"
        case (nil, false): return "gate"
        }
    }

    /// The parts of a `json_field` dot path, or nil when one is empty.
    public static func pathComponents(_ field: String) -> [Substring]? {
        let parts = field.split(separator: ".", omittingEmptySubsequences: false)
        return parts.contains(where: \.isEmpty) ? nil : parts
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": return true
        default: return false
        }
    }
}

/// Why a gate URL or allow-list host was refused. The description never repeats the text
/// that was parsed (a URL may hold a secret).
public struct GateURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The parts of a gate's URL that decide where the service connects, parsed strictly here
/// (without Foundation, which inventory-script does not link) so that the cursor's check
/// and the service's allow-list judge the same host and port the HTTP client will use.
/// Anything unusual is refused rather than interpreted: user info, backslashes, spaces,
/// non-ASCII text, percent signs in the host, IPv6 zone ids, port 0.
public struct GateURL: Sendable, Hashable {
    /// `http` or `https`, lowercased.
    public var scheme: String
    /// The host, lowercased; an IPv6 literal without its brackets.
    public var host: String
    /// The port the URL names, or nil for the scheme's default.
    public var port: Int?
    /// Whether the URL has a `?query` or `#fragment`.
    public var hasQueryOrFragment: Bool

    /// The port connected to: the URL's, else 443 for https and 80 for http.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// Whether the host is an IPv6 literal.
    public var isIPv6: Bool { host.contains(":") }

    /// `host:port` with the effective port, brackets around IPv6: `[::1]:9090`.
    public var hostAndPort: String { "\(isIPv6 ? "[\(host)]" : host):\(effectivePort)" }

    public init(parsing text: String) throws(GateURLError) {
        guard text.unicodeScalars.allSatisfy(Self.isAllowedInURL) else {
            throw GateURLError(
                "may hold only printable ASCII without spaces, quotes, backslashes or <>^`{|}; percent-encode the rest")
        }
        guard Self.percentEscapesAreWhole(text) else {
            throw GateURLError("has a % that is not followed by two hex digits")
        }
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw GateURLError("must start with http:// or https://")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw GateURLError("must start with http:// or https://")
        }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd =
            afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else {
            // Said without the URL: it is the secret.
            throw GateURLError(
                "must not hold a user name or password (user:password@): secrets in a gate's URL would reach logs and error messages"
            )
        }
        let (host, port) = try Self.parseHostAndPort(authority)
        self.scheme = scheme
        self.host = host
        self.port = port
        let rest = afterScheme[authorityEnd...]
        hasQueryOrFragment = rest.contains("?") || rest.contains("#")
    }

    /// Parses `host`, `host:port`, `[v6]` or `[v6]:port` (a URL's authority or an entry of
    /// the allow-list) into a lowercased host and the port, if one is given.
    public static func parseHostAndPort(_ text: Substring) throws(GateURLError) -> (host: String, port: Int?) {
        var hostText: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw GateURLError("has an IPv6 host without its ]") }
            hostText = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw GateURLError("has text after the IPv6 host's ]") }
                portText = after.dropFirst()
            }
            guard isIPv6Literal(hostText) else {
                throw GateURLError("has an IPv6 host in brackets that is not an IPv6 address (zone ids are not taken)")
            }
        } else {
            if let colon = text.firstIndex(of: ":") {
                hostText = text[..<colon]
                portText = text[text.index(after: colon)...]
                if portText?.contains(":") == true {
                    throw GateURLError("has an IPv6 host without brackets; write it as [::1] or [::1]:9090")
                }
            } else {
                hostText = text
            }
            guard !hostText.isEmpty else { throw GateURLError("has no host") }
            guard hostText.count <= 253, hostText.unicodeScalars.allSatisfy(isHostNameCharacter) else {
                throw GateURLError("has a host that is not a name or an address (letters, digits, . - _)")
            }
        }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII),
                portText.allSatisfy(\.isNumber), let n = Int(portText), (1...65_535).contains(n)
            else { throw GateURLError("has a port that is not a number in 1...65535") }
            port = n
        }
        return (hostText.lowercased(), port)
    }

    static func isIPv6Literal(_ text: Substring) -> Bool {
        // A light check: hex digits, colons and (for an embedded IPv4) dots, with at least two
        // colons. The HTTP client parses it properly; this keeps zone ids and junk out.
        guard text.count >= 2, text.count <= 45, text.filter({ $0 == ":" }).count >= 2 else { return false }
        return text.unicodeScalars.allSatisfy { $0 == ":" || $0 == "." || $0.properties.isASCIIHexDigit }
    }

    static func isHostNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "-", "_": return true
        default: return false
        }
    }

    static func percentEscapesAreWhole(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (i, c) in scalars.enumerated() where c == "%" {
            guard i + 2 < scalars.count, scalars[i + 1].properties.isASCIIHexDigit,
                scalars[i + 2].properties.isASCIIHexDigit
            else { return false }
        }
        return true
    }

    /// Printable ASCII except what RFC 3986 never allows unencoded (space, `"<>\^`{|}`).
    static func isAllowedInURL(_ c: Unicode.Scalar) -> Bool {
        guard c.value > 0x20, c.value < 0x7F else { return false }
        return !"\"<>\\^`{|}".unicodeScalars.contains(c)
    }
}
