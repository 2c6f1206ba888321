/// The parsing half of host patterns: ansible-core's `split_host_pattern`, `order_patterns`
/// and `_split_subscript`, kept apart from evaluation so each can be checked against Ansible.
extension HostPattern {
    /// Splits a pattern string into single patterns, as ansible-core's `split_host_pattern`.
    ///
    /// With a comma anywhere the text is split on commas only, so `web:db,lb` is the two
    /// patterns `web:db` and `lb`. Otherwise a text that parses as one host address (IPv6,
    /// `host:port`, a host range) stays whole; anything else is split on colons and whitespace,
    /// keeping complete `[...]` groups intact and dropping characters that fit neither (such as
    /// a `[` that is never closed), as the `re.findall` in Ansible does.
    public static func split(_ text: String) -> [String] {
        var parts: [String]
        if text.contains(",") {
            parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        } else if HostAddress.parse(text) != nil {
            parts = [text]
        } else {
            parts = findAll(Array(text.unicodeScalars))
        }
        return parts.map(pythonStrip).filter { !$0.isEmpty }
    }

    /// `re.findall(r"(?:[^\s:\[\]]|\[[^\]]*\])+", text)`.
    private static func findAll(_ s: [Unicode.Scalar]) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            if !current.isEmpty { out.append(String(current)); current = String.UnicodeScalarView() }
        }
        while i < s.count {
            let c = s[i]
            if c == "[" {
                if let close = s[(i + 1)...].firstIndex(of: "]") {
                    current.append(contentsOf: s[i...close])
                    i = close + 1
                    continue
                }
                flush()
            } else if c == "]" || c == ":" || isPythonSpace(c) {
                flush()
            } else {
                current.append(c)
            }
            i += 1
        }
        flush()
        return out
    }

    /// Python's `str.isspace()` (what `\s` and `strip()` use for `str`).
    static func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    static func pythonStrip(_ s: String) -> String {
        var v = Substring(s).unicodeScalars
        while let f = v.first, isPythonSpace(f) { v.removeFirst() }
        while let l = v.last, isPythonSpace(l) { v.removeLast() }
        return String(v)
    }

    /// ansible-core's `PATTERN_WITH_SUBSCRIPT`: `^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$`.
    /// Regexes (`~...`) never have a subscript. Returns the expression, the subscript, and
    /// whether the removed `[x-y]` form was used.
    static func splitSubscript(_ pattern: String) -> (String, Subscript?, dashForm: Bool) {
        let s = Array(pattern.unicodeScalars)
        guard s.first != "~", s.count >= 4, s.last == "]",
            let open = s.lastIndex(of: "["), open > 0
        else { return (pattern, nil, false) }
        let body = s[(open + 1)..<(s.count - 1)]
        let expr = String(String.UnicodeScalarView(s[..<open]))
        func isDigits<C: Collection>(_ c: C) -> Bool where C.Element == Unicode.Scalar {
            c.allSatisfy { ("0"..."9").contains($0) }
        }
        func number<C: Collection>(_ c: C) -> Int where C.Element == Unicode.Scalar {
            // Python ints do not overflow; saturating keeps huge indices out of range.
            var v = 0
            for d in c {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(d.value - 48))
                if o1 || o2 { return Int.max }
                v = a
            }
            return v
        }
        let digitsBody = body.first == "-" ? body.dropFirst() : body[...]
        if !digitsBody.isEmpty, isDigits(digitsBody) {
            let n = number(digitsBody)
            return (expr, .index(body.first == "-" ? (n == Int.max ? Int.min : -n) : n), false)
        }
        guard let sep = body.firstIndex(where: { $0 == ":" || $0 == "-" }) else { return (pattern, nil, false) }
        let start = body[..<sep], end = body[(sep + 1)...]
        guard !start.isEmpty, isDigits(start), isDigits(end) else { return (pattern, nil, false) }
        return (expr, .range(start: number(start), end: end.isEmpty ? nil : number(end)), body[sep] == "-")
    }
}
