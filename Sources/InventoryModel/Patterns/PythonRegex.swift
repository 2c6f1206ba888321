/// A Python `re` pattern (what follows `~` in a host pattern), compiled to a Swift `Regex`
/// with the same meaning and matched like Python's `re.match`: anchored at the start only.
///
/// The two dialects mostly agree; the translation covers where they do not:
/// - `\Z` is Python's absolute end of string (Swift's `\z`); `\v` is only U+000B and `\b` in a
///   set is a backspace; `\uXXXX`/`\UXXXXXXXX`/octal escapes become `\x{...}`.
/// - `(?P=name)` becomes `\k<name>`; numbered back references become `\g{n}`.
/// - `\w`/`\W` also take in every numeric character, as Python's do.
/// - Inside `[...]`, `[`, `&`, `~`, `|`, `:` and `^` are plain members in Python but can start
///   POSIX classes or set operations in Swift, so members are written as code points.
/// - A `{` that is not a valid Python repeat is a literal.
/// Python rejects escapes such as `\p`, `\z`, `\Q`, `\h`, global flags that are not at the
/// start, and `(?<name>...)`; so does this type, so that a pattern never silently means
/// something Python would refuse. Conditional groups `(?(1)a|b)` and the `a`/`L` flags are
/// valid Python but have no Swift equivalent: they are rejected with a clear reason.
/// Matching is by Unicode scalar, as Python matches code points.
struct PythonRegex: Sendable, Hashable {
    let source: String
    /// The Swift spelling; `Regex` itself is not `Sendable`, so it is compiled where it is used.
    let translated: String

    init(_ source: String) throws(RegexSyntaxError) {
        self.source = source
        translated = try Self.translate(Array(source.unicodeScalars))
        do {
            _ = try Regex(translated)
        } catch {
            throw RegexSyntaxError(reason: "\(error)")
        }
    }

    /// The compiled regex; match it with `prefixMatch(in:)` for `re.match` semantics.
    func compile() -> Regex<AnyRegexOutput> {
        // Validated in init, so this cannot fail.
        try! Regex(translated).matchingSemantics(.unicodeScalar)
    }

    struct RegexSyntaxError: Error {
        var reason: String
    }

    private static func hex(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }

    private static func isOctal(_ s: Unicode.Scalar) -> Bool { ("0"..."7").contains(s) }
    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    private static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    static func translate(_ p: [Unicode.Scalar]) throws(RegexSyntaxError) -> String {
        var out = ""
        var i = 0
        func fail(_ reason: String) -> RegexSyntaxError { RegexSyntaxError(reason: reason) }
        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                let (text, next) = try escape(p, at: i, inSet: false)
                out += text
                i = next
            case "[":
                out += "["
                i += 1
                if i < p.count, p[i] == "^" { out += "^"; i += 1 }
                // A `]` first in the set is a member, as in Python.
                if i < p.count, p[i] == "]" { out += hex(0x5D); i += 1 }
                var closed = false
                while i < p.count {
                    let m = p[i]
                    if m == "]" { out += "]"; i += 1; closed = true; break }
                    if m == "\\" {
                        let (text, next) = try escape(p, at: i, inSet: true)
                        out += text
                        i = next
                    } else if m == "-" {
                        out += "-"
                        i += 1
                    } else {
                        out += hex(m.value)
                        i += 1
                    }
                }
                if !closed { throw fail("unterminated character set") }
            case "(":
                i += 1
                guard i < p.count, p[i] == "?" else {
                    if i < p.count, p[i] == "*" { throw fail("nothing to repeat") }
                    out += "("
                    continue
                }
                out += try groupExtension(p, at: &i, atStart: i == 1)
            case "{":
                // Python's repeat `{m}`, `{m,}`, `{,n}`, `{m,n}`; anything else is literal.
                var j = i + 1
                var lo = "", hi = ""
                var comma = false
                while j < p.count, isDigit(p[j]) { lo.unicodeScalars.append(p[j]); j += 1 }
                if j < p.count, p[j] == "," {
                    comma = true
                    j += 1
                    while j < p.count, isDigit(p[j]) { hi.unicodeScalars.append(p[j]); j += 1 }
                }
                if j < p.count, p[j] == "}", !(lo.isEmpty && !comma) {
                    if let l = Int(lo), let h = Int(hi), l > h { throw fail("min repeat greater than max repeat") }
                    out += "{" + (lo.isEmpty ? "0" : lo) + (comma ? "," + hi : "") + "}"
                    i = j + 1
                } else {
                    out += hex(0x7B)
                    i += 1
                }
            case "}", "]":
                out += hex(c.value)
                i += 1
            default:
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    /// `(?...)`: `i` points at the `?`; on return it points past what was consumed.
    private static func groupExtension(_ p: [Unicode.Scalar], at i: inout Int, atStart: Bool) throws(RegexSyntaxError)
        -> String
    {
        func fail(_ reason: String) -> RegexSyntaxError { RegexSyntaxError(reason: reason) }
        let rest = p[(i + 1)...]
        func starts(_ s: String) -> Bool { rest.starts(with: Array(s.unicodeScalars)) }
        if starts("P=") {
            guard let close = rest.firstIndex(of: ")") else { throw fail("missing ), unterminated name") }
            let name = String(String.UnicodeScalarView(p[(i + 3)..<close]))
            i = close + 1
            return "\\k<" + name + ">"
        }
        if starts("P<") { i += 1; return "(?" }
        if starts(":") || starts("=") || starts("!") || starts("<=") || starts("<!") || starts(">") || starts("#") {
            i += 1
            return "(?"
        }
        if starts("(") { throw fail("conditional groups (?(...)yes|no) are not supported") }
        // Flags: (?aiLmsux) for the whole pattern, or (?aiLmsux-imsx:...) for a group.
        var j = i + 1
        var flags = ""
        while j < p.count, "aiLmsux-".unicodeScalars.contains(p[j]) {
            if p[j] == "a" || p[j] == "L" {
                throw fail("the (?\(p[j])) flag is not supported")
            }
            if p[j] != "u" { flags.unicodeScalars.append(p[j]) }
            j += 1
        }
        guard j < p.count, j > i + 1, p[j] == ")" || p[j] == ":" else {
            throw fail("unknown extension ?\(j < p.count ? String(p[j]) : "")")
        }
        if p[j] == ")" && !atStart { throw fail("global flags not at the start of the expression") }
        i = j + 1
        if flags.isEmpty || flags == "-" { return p[j] == ")" ? "" : "(?:" }
        return "(?" + flags + String(p[j])
    }

    /// A backslash escape at `p[i]`; returns Swift text and the index after it.
    private static func escape(_ p: [Unicode.Scalar], at i: Int, inSet: Bool) throws(RegexSyntaxError) -> (String, Int)
    {
        func fail(_ reason: String) -> RegexSyntaxError { RegexSyntaxError(reason: reason) }
        guard i + 1 < p.count else { throw fail("bad escape (end of pattern)") }
        let c = p[i + 1]
        func hexDigits(_ count: Int) throws(RegexSyntaxError) -> (String, Int) {
            let start = i + 2
            guard start + count <= p.count else { throw fail("incomplete escape \\\(c)") }
            var text = ""
            for s in p[start..<(start + count)] { text.unicodeScalars.append(s) }
            guard let v = UInt32(text, radix: 16), text.allSatisfy(\.isHexDigit) else {
                throw fail("incomplete escape \\\(c)\(text)")
            }
            guard v <= 0x10FFFF else { throw fail("bad escape \\\(c)\(text)") }
            return (hex(v), start + count)
        }
        switch c {
        // Python's \w is every character that is alphanumeric by `str.isalnum()`, which
        // includes all numeric characters (e.g. U+0663); Swift's \w does not.
        case "w": return (inSet ? #"\w\p{N}"# : #"[\w\p{N}]"#, i + 2)
        case "W": return (#"[^\w\p{N}]"#, i + 2)
        case "d", "D", "s", "S", "n", "r", "t":
            return ("\\" + String(c), i + 2)
        case "A", "B", "Z":
            if inSet { throw fail("bad escape \\\(c)") }
            return (c == "Z" ? "\\z" : "\\" + String(c), i + 2)
        case "b":
            return (inSet ? hex(8) : "\\b", i + 2)
        case "a": return (hex(7), i + 2)
        case "f": return (hex(0xC), i + 2)
        case "v": return (hex(0xB), i + 2)
        case "x": return try hexDigits(2)
        case "u": return try hexDigits(4)
        case "U": return try hexDigits(8)
        case "N":
            guard i + 2 < p.count, p[i + 2] == "{", let close = p[(i + 2)...].firstIndex(of: "}") else {
                throw fail("missing {")
            }
            return ("\\N" + String(String.UnicodeScalarView(p[(i + 2)...close])), close + 1)
        case "0"..."9":
            // Python: \0 and three octal digits are octal; otherwise a group reference.
            var j = i + 1
            var digits = ""
            let octalStart =
                c == "0"
                || (i + 3 < p.count && isOctal(c) && isOctal(p[i + 2]) && isOctal(p[i + 3]))
            if octalStart || inSet {
                while j < p.count, digits.count < 3, isOctal(p[j]) { digits.unicodeScalars.append(p[j]); j += 1 }
                guard !digits.isEmpty, let v = UInt32(digits, radix: 8), v <= 0o377 else {
                    throw fail("bad escape \\\(c)")
                }
                return (hex(v), j)
            }
            while j < p.count, digits.count < 2, isDigit(p[j]) { digits.unicodeScalars.append(p[j]); j += 1 }
            return ("\\g{" + digits + "}", j)
        default:
            if isASCIILetter(c) { throw fail("bad escape \\\(c)") }
            return (hex(c.value), i + 2)
        }
    }
}
