/// The types PyYAML's resolver can give a plain scalar.
public enum YAMLImplicitTag: Sendable, Hashable {
    case string, null, bool, int, float, timestamp
    /// `<<`: a merge key.
    case merge
    /// `=`: PyYAML resolves it but SafeConstructor cannot build it (an error, as in Ansible).
    case value
}

/// PyYAML's YAML 1.1 implicit resolver (`yaml.resolver.Resolver`, which Ansible's loader uses),
/// written as hand-made matchers over UTF-8 bytes: Swift `Regex` is far too slow for inventories
/// of 100k hosts, and each matcher below states the exact PyYAML pattern it implements.
public enum YAMLScalarResolver {
    /// The tag PyYAML would give `text` written as a plain (unquoted, untagged) scalar.
    public static func resolvePlain(_ text: String) -> YAMLImplicitTag {
        var text = text
        return text.withUTF8 { resolve(YAMLBytes($0)) }
    }

    static func resolve(_ s: YAMLBytes) -> YAMLImplicitTag {
        guard let first = s.first else { return .null }
        // PyYAML only tries the resolvers registered for the first character, in this order.
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
            UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return isBool(s) ? .bool : .string
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            if isBool(s) { return .bool }
            return isNull(s) ? .null : .string
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .string
        case UInt8(ascii: "<"):
            return s.equals("<<") ? .merge : .string
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .string
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if isFloat(s) { return .float }
            if first != UInt8(ascii: ".") && isInt(s) { return .int }
            if first.isYAMLDigit && isTimestamp(s) { return .timestamp }
            return .string
        default:
            return .string
        }
    }

    /// `yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`
    static func isBool(_ s: YAMLBytes) -> Bool {
        for word in ["yes", "no", "true", "false", "on", "off"] where s.count == word.utf8.count {
            if s.isCasing(of: word) { return true }
        }
        return false
    }

    /// `~|null|Null|NULL|` (the empty string and `~` are handled by the caller's dispatch).
    static func isNull(_ s: YAMLBytes) -> Bool { s.count == 4 && s.isCasing(of: "null") }

    /// ```
    /// [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    /// |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    /// |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    /// |[-+]?\.(?:inf|Inf|INF)
    /// |\.(?:nan|NaN|NAN)
    /// ```
    static func isFloat(_ s: YAMLBytes) -> Bool {
        var i = 0
        let signed = s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+")
        if signed { i = 1 }
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: ".") {
            let rest = s.suffix(from: i + 1)
            if rest.equals("inf") || rest.equals("Inf") || rest.equals("INF") { return true }
            if !signed && (rest.equals("nan") || rest.equals("NaN") || rest.equals("NAN")) { return true }
            // `\.[0-9][0-9_]*` exponent?: no sign allowed in this branch.
            guard !signed, i + 1 < s.count, s[i + 1].isYAMLDigit else { return false }
            i = s.skip(from: i + 1) { $0.isYAMLDigit || $0 == UInt8(ascii: "_") }
            return exponent(s, from: i)
        }
        guard s[i].isYAMLDigit else { return false }
        i = s.skip(from: i) { $0.isYAMLDigit || $0 == UInt8(ascii: "_") }
        var sexagesimal = false
        while i < s.count && s[i] == UInt8(ascii: ":") {
            guard let next = sexagesimalPart(s, from: i + 1) else { return false }
            sexagesimal = true
            i = next
        }
        guard i < s.count, s[i] == UInt8(ascii: ".") else { return false }
        i = s.skip(from: i + 1) { $0.isYAMLDigit || $0 == UInt8(ascii: "_") }
        return sexagesimal ? i == s.count : exponent(s, from: i)
    }

    /// `(?:[eE][-+][0-9]+)?$`
    private static func exponent(_ s: YAMLBytes, from i: Int) -> Bool {
        if i == s.count { return true }
        guard s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E"), i + 2 < s.count,
            s[i + 1] == UInt8(ascii: "-") || s[i + 1] == UInt8(ascii: "+")
        else { return false }
        return s.skip(from: i + 2) { $0.isYAMLDigit } == s.count
    }

    /// `[0-5]?[0-9]` after a colon; returns the index after it.
    private static func sexagesimalPart(_ s: YAMLBytes, from i: Int) -> Int? {
        guard i < s.count, s[i].isYAMLDigit else { return nil }
        if i + 1 < s.count, s[i + 1].isYAMLDigit {
            return s[i] <= UInt8(ascii: "5") ? i + 2 : nil
        }
        return i + 1
    }

    /// ```
    /// [-+]?0b[0-1_]+
    /// |[-+]?0[0-7_]+
    /// |[-+]?(?:0|[1-9][0-9_]*)
    /// |[-+]?0x[0-9a-fA-F_]+
    /// |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    /// ```
    static func isInt(_ s: YAMLBytes) -> Bool {
        var i = 0
        if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") { i = 1 }
        guard i < s.count, s[i].isYAMLDigit else { return false }
        let n = s.count
        if s[i] == UInt8(ascii: "0") {
            if i + 1 == n { return true }
            let body = i + 2
            switch s[i + 1] {
            case UInt8(ascii: "b"):
                return body < n
                    && s.skip(from: body) {
                        $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_")
                    } == n
            case UInt8(ascii: "x"):
                return body < n && s.skip(from: body) { $0.isYAMLHexDigit || $0 == UInt8(ascii: "_") } == n
            default:
                return s.skip(from: i + 1) {
                    ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7")) || $0 == UInt8(ascii: "_")
                } == n
            }
        }
        i = s.skip(from: i) { $0.isYAMLDigit || $0 == UInt8(ascii: "_") }
        if i == n { return true }
        while i < n {
            guard s[i] == UInt8(ascii: ":"), let next = sexagesimalPart(s, from: i + 1) else { return false }
            i = next
        }
        return true
    }

    /// ```
    /// [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    /// |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]
    ///  (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    /// ```
    static func isTimestamp(_ s: YAMLBytes) -> Bool {
        if s.count == 10, s.digits(0, 4), s[4] == UInt8(ascii: "-"), s.digits(5, 2), s[7] == UInt8(ascii: "-"),
            s.digits(8, 2)
        {
            return true
        }
        return YAMLTimestamp.parse(s, requireTime: true) != nil
    }
}

/// A view of a scalar's UTF-8 bytes for the matchers.
struct YAMLBytes {
    let base: UnsafeBufferPointer<UInt8>
    let start: Int
    init(_ base: UnsafeBufferPointer<UInt8>, start: Int = 0) {
        self.base = base
        self.start = start
    }

    var count: Int { base.count - start }
    var first: UInt8? { count > 0 ? base[start] : nil }
    subscript(i: Int) -> UInt8 { base[start + i] }

    func suffix(from i: Int) -> YAMLBytes { YAMLBytes(base, start: start + i) }

    /// The first index at or after `i` whose byte does not satisfy `accept`.
    func skip(from i: Int, while accept: (UInt8) -> Bool) -> Int {
        var j = i
        while j < count && accept(self[j]) { j += 1 }
        return j
    }

    func digits(_ i: Int, _ length: Int) -> Bool {
        guard i + length <= count else { return false }
        for j in i..<(i + length) where !self[j].isYAMLDigit { return false }
        return true
    }

    func equals(_ word: StaticString) -> Bool {
        guard count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for j in 0..<count where self[j] != w[j] { return false }
        return true
    }

    /// Whether these bytes are `word` (lower case ASCII) in PyYAML's three casings:
    /// `word`, `Word` or `WORD`.
    func isCasing(of word: String) -> Bool {
        let w = Array(word.utf8)
        guard count == w.count, count > 0 else { return false }
        let upperFirst = self[0] == w[0] &- 32
        guard self[0] == w[0] || upperFirst else { return false }
        var lower = true
        var upper = true
        for j in 1..<count {
            if self[j] != w[j] { lower = false }
            if self[j] != w[j] &- 32 { upper = false }
        }
        return lower || (upperFirst && upper) || (count == 1 && upperFirst)
    }

    var string: String { String(decoding: UnsafeBufferPointer(rebasing: base[start...]), as: UTF8.self) }
}

extension UInt8 {
    var isYAMLDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isYAMLHexDigit: Bool {
        isYAMLDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
