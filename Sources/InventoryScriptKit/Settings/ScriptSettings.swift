/// What `--list` prints.
public enum OutputMode: String, Sendable, Hashable, CaseIterable {
    /// Only the batch's hosts, with their groups and vars.
    case batch
    /// The whole pool revision, with the batch's hosts also in group `batch_current`.
    case pool
}

/// inventory-script's settings after every source was read and checked.
public struct ScriptSettings: Sendable, Hashable {
    public var service: ServiceURL
    public var token: String
    public var cursor: String
    public var consumer: String
    /// The key of this attempt; retried and repeated requests of one run carry the same one.
    public var claimKey: String
    /// Whether the key was given (by AWX's update id or a setting) rather than made for this
    /// run: only a given key is worth asking about with `--host`.
    public var claimKeyIsGiven: Bool
    public var mode: OutputMode
    public var waitSeconds: Double
    public var caFile: String?
    public var verifyTLS: Bool
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    public var retries: Int
    public var retryTimeSeconds: Double

    public init(
        service: ServiceURL, token: String, cursor: String, consumer: String, claimKey: String, claimKeyIsGiven: Bool,
        mode: OutputMode = .batch, waitSeconds: Double = 0, caFile: String? = nil, verifyTLS: Bool = true,
        timeoutSeconds: Double = 30, connectTimeoutSeconds: Double = 10, retries: Int = 5, retryTimeSeconds: Double = 60
    ) {
        self.service = service
        self.token = token
        self.cursor = cursor
        self.consumer = consumer
        self.claimKey = claimKey
        self.claimKeyIsGiven = claimKeyIsGiven
        self.mode = mode
        self.waitSeconds = waitSeconds
        self.caFile = caFile
        self.verifyTLS = verifyTLS
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.retries = retries
        self.retryTimeSeconds = retryTimeSeconds
    }
}

/// The service's base address, checked: `http` or `https`, a host, no query.
public struct ServiceURL: Sendable, Hashable, CustomStringConvertible {
    /// Without a trailing slash, so that `base + "/api/v1/…"` is right.
    public var base: String
    /// The address as messages show it: any `user:password@` left out.
    public var description: String

    public init(_ text: String, origin: String) throws(ScriptError) {
        var trimmed = text.trimmingCharacters()
        let lower = trimmed.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("https://") {
            schemeLength = 8
        } else if lower.hasPrefix("http://") {
            schemeLength = 7
        } else {
            throw ScriptError(
                .usage,
                "\(origin) must be an http:// or https:// address of the batch-source service, got "
                    + "'\(ServiceURL.redacted(trimmed))'"
            )
        }
        // Trailing slashes go (the API paths are appended), but never into the scheme's `//`.
        while trimmed.hasSuffix("/") && trimmed.utf8.count > schemeLength { trimmed.removeLast() }
        let rest = trimmed.dropFirst(schemeLength)
        let authority = rest.prefix { $0 != "/" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard !host.isEmpty, !host.hasPrefix(":") else {
            throw ScriptError(.usage, "\(origin) has no host name: '\(ServiceURL.redacted(trimmed))'")
        }
        guard !trimmed.contains("?"), !trimmed.contains("#") else {
            throw ScriptError(
                .usage,
                "\(origin) must be the service's base address without ? or #, got '\(ServiceURL.redacted(trimmed))'")
        }
        guard !trimmed.contains(where: { $0 == " " || $0.isNewline }) else {
            throw ScriptError(.usage, "\(origin) contains spaces: '\(ServiceURL.redacted(trimmed))'")
        }
        base = trimmed
        description = ServiceURL.redacted(trimmed)
    }

    /// The address without credentials, for messages.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "…@" + String(rest[rest.index(after: at)...])
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace || f.isNewline { s.removeFirst() }
        while let l = s.last, l.isWhitespace || l.isNewline { s.removeLast() }
        return String(s)
    }

    func range(of needle: String) -> Range<String.Index>? {
        guard !needle.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
