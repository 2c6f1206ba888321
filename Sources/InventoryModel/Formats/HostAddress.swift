/// A host identifier with an optional port, as ansible-core's `parse_address(allow_ranges=True)`
/// reads it: `host`, `host:22`, `10.0.0.[1:9]`, `[fe80::1]:22`, `web[a:c]`.
public struct HostAddress: Sendable, Hashable {
    public var host: String
    public var port: Int?

    /// Parses an address; `nil` when Ansible would say "Not a valid network hostname".
    public static func parse(_ address: String) -> HostAddress? {
        var address = address
        var port: Int?
        // Both port forms are tried in turn, the second on what the first left, as in Ansible.
        if let (inner, p) = splitBracketedPort(address) {
            address = inner
            port = p
        }
        if let (inner, p) = splitPlainPort(address) {
            address = inner
            port = p
        }
        guard isHostname(address) || isIPv6(address) else { return nil }
        return HostAddress(host: address, port: port)
    }

    /// `^\[(.+)\]:([0-9]+)$`
    private static func splitBracketedPort(_ s: String) -> (String, Int)? {
        guard s.first == "[", let colon = s.lastIndex(of: ":") else { return nil }
        let digits = s[s.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let port = Int(digits) else { return nil }
        let beforeColon = s[..<colon]
        guard beforeColon.last == "]" else { return nil }
        let inner = beforeColon.dropFirst().dropLast()
        guard !inner.isEmpty, !inner.contains("\n") else { return nil }
        return (String(inner), port)
    }

    /// `^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$`
    private static func splitPlainPort(_ s: String) -> (String, Int)? {
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "[" {
                guard let close = s[i...].firstIndex(of: "]") else { return nil }
                i = s.index(after: close)
            } else if c == "]" {
                return nil
            } else if c == ":" {
                break
            } else {
                i = s.index(after: i)
            }
        }
        guard i < s.endIndex else { return nil }
        let digits = s[s.index(after: i)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let port = Int(digits) else { return nil }
        return (String(s[..<i]), port)
    }

    /// Dot-separated labels of word characters, `_` and `-` (or ranges), starting with a word
    /// character or range and not ending in `_` or `-`. IPv4 addresses pass as well.
    static func isHostname(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    private static func isLabel(_ label: Substring) -> Bool {
        guard !label.isEmpty else { return false }
        var i = label.startIndex
        var first = true
        var lastWasRange = false
        var last: Character = " "
        while i < label.endIndex {
            let c = label[i]
            if c == "[" {
                guard let close = label[i...].firstIndex(of: "]"), isAlphanumericRange(label[label.index(after: i)..<close]) else {
                    return false
                }
                i = label.index(after: close)
                lastWasRange = true
            } else {
                let word = c.isLetter || c.isNumber || c == "_"
                guard word || (!first && c == "-") else { return false }
                last = c
                lastWasRange = false
                i = label.index(after: i)
            }
            first = false
        }
        return lastWasRange || (last != "_" && last != "-")
    }

    /// `[a-z]:[a-z]` or `[0-9]+:[0-9]+`, optionally `:[0-9]+`, letters in either case.
    private static func isAlphanumericRange(_ body: Substring) -> Bool {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        if parts.count == 3, parts[2].isEmpty || !parts[2].allSatisfy(\.isASCIIDigit) { return false }
        let (b, e) = (parts[0], parts[1])
        let isLetter: (Substring) -> Bool = { $0.count == 1 && $0.first!.isASCII && $0.first!.isLetter }
        let isNumber: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
        return (isLetter(b) && isLetter(e)) || (isNumber(b) && isNumber(e))
    }

    /// IPv6 in any of its spellings (`::`, `::1`, `fe80::1:2`, `::ffff:192.0.2.3`), with hex ranges.
    static func isIPv6(_ s: String) -> Bool {
        guard s.contains(":") else { return false }
        let halves = s.components(separatedByString: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            part.isEmpty ? [] : part.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard var head = groups(halves[0]) else { return false }
        var tail = halves.count == 2 ? (groups(halves[1]) ?? []) : []
        var slots = 0
        // An embedded IPv4 address takes two slots and may only stand last.
        if let lastPart = (halves.count == 2 ? tail.last : head.last), lastPart.contains(".") {
            guard isHostname(String(lastPart)), lastPart.split(separator: ".").count == 4 else { return false }
            slots += 2
            if halves.count == 2 { tail.removeLast() } else { head.removeLast() }
        }
        for g in head + tail {
            guard isHexGroup(g) else { return false }
            slots += 1
        }
        return halves.count == 2 ? slots <= 7 : slots == 8
    }

    private static func isHexGroup(_ g: Substring) -> Bool {
        if g.first == "[", g.last == "]" {
            let parts = g.dropFirst().dropLast().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3 else { return false }
            return parts.prefix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isHexDigit) }
                && (parts.count == 2 || (!parts[2].isEmpty && parts[2].allSatisfy(\.isASCIIDigit)))
        }
        return (1...4).contains(g.count) && g.allSatisfy(\.isHexDigit)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Splits on a multi-character separator (FoundationEssentials has no `components(separatedBy:)`).
    func components(separatedByString separator: String) -> [String] {
        var result: [String] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
