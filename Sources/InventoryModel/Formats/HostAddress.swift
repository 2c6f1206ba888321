/// A host identifier with an optional port, as ansible-core's `parse_address(allow_ranges=True)`
/// reads it: `host`, `host:22`, `10.0.0.[1:9]`, `[fe80::1]:22`, `web[a:c]`.
public struct HostAddress: Sendable, Hashable {
    public var host: String
    public var port: Int?

    /// Parses an address; `nil` when Ansible would say "Not a valid network hostname".
    public static func parse(_ address: String) -> HostAddress? {
        if let plain = plainASCIIHostname(address) { return plain ? HostAddress(host: address, port: nil) : nil }
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

    /// The common case, decided on bytes: a name of ASCII letters, digits, `_`, `-` and `.`
    /// only (no port, no range) is valid iff each label starts with a word character and
    /// ends in neither `_` nor `-`. `nil` for anything else, which takes the general path.
    private static func plainASCIIHostname(_ s: String) -> Bool? {
        var valid = true
        var labelLength = 0
        var last: UInt8 = 0
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "."):
                if labelLength == 0 || last == UInt8(ascii: "-") || last == UInt8(ascii: "_") { valid = false }
                labelLength = 0
            case UInt8(ascii: "-"):
                if labelLength == 0 { valid = false }
                labelLength += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "_"):
                labelLength += 1
            default:
                return nil
            }
            last = b
        }
        if labelLength == 0 || last == UInt8(ascii: "-") || last == UInt8(ascii: "_") { valid = false }
        return valid
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

    /// Ansible's `hostname` pattern (which also covers its `ipv4` one): dot-separated labels
    /// of `\w` characters, `-` and alphanumeric ranges, each starting with a word character or
    /// a range and not ending in `_` or `-`.
    static func isHostname(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        return s.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    private static func isLabel(_ label: Substring.UnicodeScalarView) -> Bool {
        guard !label.isEmpty else { return false }
        var i = label.startIndex
        var first = true
        var last: Unicode.Scalar = " "
        var lastWasRange = false
        while i < label.endIndex {
            let c = label[i]
            if c == "[" {
                guard let close = label[i...].firstIndex(of: "]"),
                    isAlphanumericRange(label[label.index(after: i)..<close])
                else {
                    return false
                }
                i = label.index(after: close)
                lastWasRange = true
            } else {
                // `[\w]` first, then `[\w_-]`.
                guard PythonText.isWordChar(c) || (!first && c == "-") else { return false }
                last = c
                lastWasRange = false
                i = label.index(after: i)
            }
            first = false
        }
        return lastWasRange || (last != "_" && last != "-")
    }

    /// `[a-z]:[a-z]` (either case, as the pattern is case-insensitive) or `[0-9]+:[0-9]+`,
    /// optionally `:[0-9]+`.
    private static func isAlphanumericRange(_ body: Substring.UnicodeScalarView) -> Bool {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        if parts.count == 3, !isDigits(parts[2]) { return false }
        let isLetter: (Substring.UnicodeScalarView) -> Bool = {
            $0.count == 1 && $0.first!.isASCII && $0.first!.properties.isAlphabetic
        }
        return (isLetter(parts[0]) && isLetter(parts[1])) || (isDigits(parts[0]) && isDigits(parts[1]))
    }

    private static func isDigits(_ s: Substring.UnicodeScalarView) -> Bool {
        !s.isEmpty && s.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func isHexDigits(_ s: Substring.UnicodeScalarView) -> Bool {
        !s.isEmpty && s.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) || ("A"..."F").contains($0) }
    }

    /// Ansible's `ipv6` pattern, with hexadecimal ranges (`[0:ff]`, `[1:9:2]`) standing for a group.
    static func isIPv6(_ s: String) -> Bool {
        // Ranges hold ':' themselves, so each valid one becomes a placeholder group first.
        // "R" is no hex digit, so it can never match the literal `0:`/`ffff:` of the IPv4 forms.
        var flat = String.UnicodeScalarView()
        let scalars = s.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            if c == "[" {
                guard let close = scalars[i...].firstIndex(of: "]") else { return false }
                let parts = scalars[scalars.index(after: i)..<close].split(
                    separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2 || parts.count == 3, isHexDigits(parts[0]), isHexDigits(parts[1]),
                    parts.count == 2 || isDigits(parts[2])
                else { return false }
                flat.append("R")
                i = scalars.index(after: close)
            } else {
                flat.append(c)
                i = scalars.index(after: i)
            }
        }
        let text = String(flat)
        func isGroup(_ g: Substring) -> Bool {
            g == "R" || ((1...4).contains(g.count) && isHexDigits(g.unicodeScalars))
        }
        func groups(_ part: Substring) -> [Substring]? {
            if part.isEmpty { return [] }
            let gs = part.split(separator: ":", omittingEmptySubsequences: false)
            return gs.allSatisfy(isGroup) ? gs : nil
        }
        // IPv4-in-IPv6: `(0:){6}`, `::`, `::ffff:` or `(0:){5}ffff:` before four dotted groups.
        if let colon = text.lastIndex(of: ":"), text[colon...].contains(".") {
            let v4 = text[text.index(after: colon)...].split(separator: ".", omittingEmptySubsequences: false)
            guard v4.count == 4, v4.allSatisfy(isGroup) else { return false }
            let head = text[...colon].lowercased()
            return head == "0:0:0:0:0:0:" || head == "::" || head == "::ffff:" || head == "0:0:0:0:0:ffff:"
        }
        let halves = text.components(separatedByString: "::")
        switch halves.count {
        case 1:
            return groups(halves[0][...])?.count == 8
        case 2:
            guard let head = groups(halves[0][...]), let tail = groups(halves[1][...]) else { return false }
            return head.count <= 6 && tail.count <= 6 && head.count + tail.count <= 7
        default:
            return false
        }
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
