/// A shell glob with Python `fnmatch` semantics, as Ansible compiles host patterns:
/// `re.compile(fnmatch.translate(pattern)).match(name)`.
///
/// Matching is case-sensitive, over Unicode scalars (Python compares code points), and
/// whole-string. `*` and `?` also match newlines, since `translate` wraps the result in
/// `(?s:...)`. Bracket sets follow `translate`'s quirks exactly: `[!...]` negates, a `]`
/// right after `[` or `[!` is a member, a `[` with no closing `]` is a literal `[`, and
/// reversed ranges such as `[z-a]` are dropped (a set left empty matches nothing).
/// There is no escaping: a backslash is an ordinary character.
struct GlobPattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case any
        case star
        case set(CharacterSet)
    }

    /// A bracket set: members and inclusive ranges, possibly negated.
    struct CharacterSet: Sendable, Hashable {
        var negated: Bool
        var singles: [Unicode.Scalar]
        var ranges: [ClosedRange<UInt32>]

        func contains(_ value: UInt32) -> Bool {
            let hit = singles.contains { $0.value == value } || ranges.contains { $0.contains(value) }
            return hit != negated
        }
    }

    let tokens: [Token]
    /// The pattern has none of `*?[`: it can only match a name equal to itself.
    let isLiteral: Bool
    let text: String

    init(_ pattern: String) {
        text = pattern
        tokens = Self.tokenize(Array(pattern.unicodeScalars))
        isLiteral = tokens.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Matches the whole name, with the classic single-backtrack-point algorithm: correct for
    /// globs because every token but `*` consumes exactly one scalar.
    func matches(_ name: String) -> Bool {
        if isLiteral { return name.utf8.elementsEqual(text.utf8) }
        var name = name
        // Walk the UTF-8 bytes directly: the scalar view's iterator costs most of the time on
        // a million names.
        return name.withUTF8 { matches(utf8: $0) }
    }

    private func matches(utf8 s: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0, i = 0
        var starP = -1, starI = 0
        while i < s.count {
            if p < tokens.count {
                let (scalar, length) = Self.decode(s, at: i)
                switch tokens[p] {
                case .star:
                    starP = p; starI = i; p += 1
                    continue
                case .any:
                    p += 1; i += length
                    continue
                case .literal(let c) where c.value == scalar:
                    p += 1; i += length
                    continue
                case .set(let set) where set.contains(scalar):
                    p += 1; i += length
                    continue
                default:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starI += Self.decode(s, at: starI).length
            i = starI
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }

    /// The scalar starting at byte `i` of well-formed UTF-8 (Swift strings always are).
    @inline(__always)
    private static func decode(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(s[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        return (
            (b0 & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6
                | UInt32(s[i + 3] & 0x3F), 4
        )
    }

    private static func tokenize(_ pat: [Unicode.Scalar]) -> [Token] {
        var out: [Token] = []
        var i = 0
        let n = pat.count
        while i < n {
            let c = pat[i]
            i += 1
            switch c {
            case "*":
                if out.last != .star { out.append(.star) }
            case "?":
                out.append(.any)
            case "[":
                // Find the closing bracket as fnmatch.translate does.
                var j = i
                if j < n, pat[j] == "!" { j += 1 }
                if j < n, pat[j] == "]" { j += 1 }
                while j < n, pat[j] != "]" { j += 1 }
                if j >= n {
                    out.append(.literal("["))
                } else {
                    out.append(bracket(pat, from: i, to: j))
                    i = j + 1
                }
            default:
                out.append(.literal(c))
            }
        }
        return out
    }

    /// Ports the chunking of `fnmatch.translate` for `pat[i..<j]`, then reads the resulting
    /// regex set the way `sre_parse` would.
    private static func bracket(_ pat: [Unicode.Scalar], from start: Int, to j: Int) -> Token {
        let stuff = Array(pat[start..<j])
        // Each element is (scalar, isRangeDash): the dashes translate() leaves unescaped.
        var items: [(Unicode.Scalar, Bool)]
        if !stuff.contains("-") {
            items = stuff.map { ($0, false) }
        } else {
            var chunks: [[Unicode.Scalar]] = []
            var i = start
            var k = pat[start] == "!" ? start + 2 : start + 1
            while true {
                guard let dash = (k < j ? pat[k..<j].firstIndex(of: "-") : nil) else { break }
                chunks.append(Array(pat[i..<dash]))
                i = dash + 1
                k = dash + 3
            }
            let last = Array(pat[i..<j])
            if !last.isEmpty { chunks.append(last) } else { chunks[chunks.count - 1].append("-") }
            // Remove empty (reversed) ranges, as translate() does.
            var m = chunks.count - 1
            while m > 0 {
                if chunks[m - 1].last!.value > chunks[m].first!.value {
                    chunks[m - 1] = Array(chunks[m - 1].dropLast()) + Array(chunks[m].dropFirst())
                    chunks.remove(at: m)
                }
                m -= 1
            }
            items = []
            for (index, chunk) in chunks.enumerated() {
                if index > 0 { items.append(("-", true)) }
                items.append(contentsOf: chunk.map { ($0, false) })
            }
        }
        if items.isEmpty { return .set(CharacterSet(negated: false, singles: [], ranges: [])) }
        if items.count == 1, items[0].0 == "!" { return .any }
        var negated = false
        if items[0].0 == "!", !items[0].1 {
            negated = true
            items.removeFirst()
        }
        var set = CharacterSet(negated: negated, singles: [], ranges: [])
        var x = 0
        while x < items.count {
            let (c, isDash) = items[x]
            // A range dash between two members makes a range; sre_parse reads a leading or
            // trailing dash as a member.
            if !isDash, x + 2 < items.count, items[x + 1].1 {
                let hi = items[x + 2].0
                if c.value <= hi.value { set.ranges.append(c.value...hi.value) }
                x += 3
            } else {
                set.singles.append(c)
                x += 1
            }
        }
        return .set(set)
    }
}
