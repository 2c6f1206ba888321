/// A host pattern as given to Ansible's `--limit` (`web:&db:!web1`, `web*,~db\d+`, `web[0:9]`),
/// parsed once and evaluated against inventories with ansible-core's rules.
///
/// Evaluation follows `InventoryManager._evaluate_patterns`: plain patterns first, then every
/// `&` pattern, then every `!` pattern, whatever order they were written in; with only `&`/`!`
/// patterns, `all` comes first. A pattern equal to a host name selects that host. Otherwise a
/// pattern selects every host of each matching group (`all` and `ungrouped` included), and also
/// matching hosts when no group matched or the pattern contains one of `.?*[` or starts with `~`.
public struct HostPattern: Sendable, Hashable, CustomStringConvertible {
    /// How a single pattern combines with what the patterns before it selected.
    public enum Operation: Sendable, Hashable {
        /// A plain pattern: adds hosts.
        case union
        /// `&pattern`: keeps only hosts it also matches.
        case intersection
        /// `!pattern`: removes the hosts it matches.
        case exclusion
    }

    /// A `[...]` suffix selecting part of a pattern's matches.
    public enum Subscript: Sendable, Hashable {
        /// `[i]`, negative from the end.
        case index(Int)
        /// `[start:end]` (inclusive) or `[start:]` when `end` is nil.
        case range(start: Int, end: Int?)
    }

    /// One pattern of the list, after splitting and ordering.
    public struct Term: Sendable, Hashable {
        /// The pattern as written, `&`/`!` prefix included.
        public let text: String
        public let operation: Operation
        /// The pattern without prefix and subscript: a glob, or `~` and a Python regex.
        public let expression: String
        /// The `[...]` suffix, if any.
        public let selection: Subscript?
        let matcher: NameMatcher
    }

    /// The text the pattern was parsed from.
    public let text: String
    /// The single patterns, in the order Ansible applies them.
    public let terms: [Term]
    /// Warnings Ansible prints while parsing (the removed `[x-y]` subscript form).
    public let warnings: [String]

    public var description: String { text }

    /// Parses a `--limit` style pattern; an empty text selects every host, as in Ansible.
    ///
    /// Throws "Invalid host list pattern: ..." for a regex Python would not compile (Ansible
    /// throws that when the pattern is evaluated), and for a bare `!` or `&` (which crashes
    /// ansible-core with an IndexError). `@file` limits are not supported.
    public init(_ text: String) throws(InventoryError) {
        self.text = text
        var regular: [Term] = [], intersections: [Term] = [], exclusions: [Term] = []
        var warnings: [String] = []
        for part in Self.split(text) {
            let operation: Operation
            var body = Substring(part)
            switch part.unicodeScalars.first {
            case "!": operation = .exclusion; body = body.dropFirst()
            case "&": operation = .intersection; body = body.dropFirst()
            default: operation = .union
            }
            if part.first == "@" {
                throw InventoryError("Limit files are not supported, list the hosts instead: \(part)")
            }
            guard !body.isEmpty else {
                throw InventoryError("Invalid host list pattern: \(part) ('\(part)' must be followed by a pattern)")
            }
            let (expression, selection, dashForm) = Self.splitSubscript(String(body))
            if dashForm { warnings.append("Use [x:y] inclusive subscripts instead of [x-y] which has been removed") }
            let term = Term(
                text: part, operation: operation, expression: expression, selection: selection,
                matcher: try NameMatcher(expression))
            switch operation {
            case .union: regular.append(term)
            case .intersection: intersections.append(term)
            case .exclusion: exclusions.append(term)
            }
        }
        if regular.isEmpty {
            regular = [
                Term(text: "all", operation: .union, expression: "all", selection: nil, matcher: try NameMatcher("all"))
            ]
        }
        terms = regular + intersections + exclusions
        self.warnings = warnings
    }

    public static func == (a: HostPattern, b: HostPattern) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The indices (into ``Inventory/hosts``) of the selected hosts, in Ansible's order,
    /// without duplicates. A pattern that matches nothing selects nothing; see
    /// ``evaluate(in:warnings:)`` for Ansible's warnings.
    public func evaluate(in inventory: Inventory) throws(InventoryError) -> [Int] {
        var ignored: [String] = []
        return try evaluate(in: inventory, warnings: &ignored)
    }

    /// As ``evaluate(in:)``, appending the warnings Ansible would print
    /// ("Could not match supplied host pattern, ignoring: ...") to `warnings`.
    public func evaluate(in inventory: Inventory, warnings: inout [String]) throws(InventoryError) -> [Int] {
        warnings.append(contentsOf: self.warnings)
        var result: [Int] = []
        var selected = [Bool](repeating: false, count: inventory.hosts.count)
        for term in terms {
            if let h = inventory.hostIndex(exactly: term.text) {
                if !selected[h] { selected[h] = true; result.append(h) }
                continue
            }
            let matched = try term.hosts(in: inventory, warnings: &warnings)
            switch term.operation {
            case .union:
                for h in matched where !selected[h] {
                    selected[h] = true
                    result.append(h)
                }
            case .intersection, .exclusion:
                var inMatch = [Bool](repeating: false, count: inventory.hosts.count)
                for h in matched { inMatch[h] = true }
                let keep = term.operation == .intersection
                result.removeAll { h in
                    let drop = inMatch[h] != keep
                    if drop { selected[h] = false }
                    return drop
                }
            }
        }
        return result
    }
}

extension HostPattern.Term {
    /// `_match_one_pattern`: the hosts of matching groups, then matching hosts, duplicates kept
    /// because Ansible applies the subscript to that list before duplicates are dropped.
    func hosts(in inventory: Inventory, warnings: inout [String]) throws(InventoryError) -> [Int] {
        var results: [Int] = []
        var matchedGroup = false
        let matches = matcher.compiled()
        var seen = [Bool](repeating: false, count: inventory.hosts.count)
        if let literal = matcher.literal {
            if let g = inventory.groupIndex(exactly: literal) {
                matchedGroup = true
                inventory.appendHostIndices(inGroup: g, to: &results, seen: &seen)
            }
        } else {
            for (g, name) in inventory.groups.keys.enumerated() where matches(name) {
                matchedGroup = true
                inventory.appendHostIndices(inGroup: g, to: &results, seen: &seen)
            }
        }
        let isSpecial =
            expression.unicodeScalars.first == "~"
            || expression.unicodeScalars.contains { $0 == "." || $0 == "?" || $0 == "*" || $0 == "[" }
        if !matchedGroup || isSpecial {
            if let literal = matcher.literal {
                if let h = inventory.hostIndex(exactly: literal) { results.append(h) }
            } else {
                for (h, name) in inventory.hosts.keys.enumerated() where matches(name) {
                    results.append(h)
                }
            }
        }
        // ansible-core also creates an implicit `localhost` here; a pool has no implicit hosts.
        if results.isEmpty && !matchedGroup && expression != "all" {
            warnings.append("Could not match supplied host pattern, ignoring: \(expression)")
        }
        guard let selection, !results.isEmpty else { return results }
        let pattern =
            text.unicodeScalars.first == "!" || text.unicodeScalars.first == "&" ? String(text.dropFirst()) : text
        let outOfRange = InventoryError("No hosts matched the subscripted pattern '\(pattern)'")
        switch selection {
        // `[x:0]` is one host, not a range: Ansible tests `if end:` and 0 is false.
        case .index(let i), .range(start: let i, end: 0):
            let index = i < 0 ? results.count + i : i
            guard index >= 0, index < results.count, i != Int.min else { throw outOfRange }
            return [results[index]]
        case .range(let start, let end):
            let upper = min(end.map { $0 == Int.max ? $0 : $0 + 1 } ?? results.count, results.count)
            guard start < upper else { return [] }
            return Array(results[start..<upper])
        }
    }
}

/// A glob or `~regex`, compiled once.
enum NameMatcher: Sendable, Hashable {
    case glob(GlobPattern)
    case regex(String, PythonRegex)

    init(_ expression: String) throws(InventoryError) {
        if expression.unicodeScalars.first == "~" {
            do {
                let source = String(expression.unicodeScalars.dropFirst())
                self = .regex(source, try PythonRegex(source))
            } catch {
                throw InventoryError("Invalid host list pattern: \(expression) (\(error.reason))")
            }
        } else {
            self = .glob(GlobPattern(expression))
        }
    }

    /// The name this matcher accepts when it accepts exactly one name.
    var literal: String? {
        if case .glob(let g) = self, g.isLiteral { return g.text }
        return nil
    }

    /// A match function; regexes are compiled here because Swift's `Regex` is not `Sendable`.
    func compiled() -> (String) -> Bool {
        switch self {
        case .glob(let g): return g.matches
        case .regex(_, let r):
            let regex = r.compile()
            return { (try? regex.prefixMatch(in: $0)) != nil }
        }
    }

    static func == (a: NameMatcher, b: NameMatcher) -> Bool {
        switch (a, b) {
        case (.glob(let x), .glob(let y)): return x == y
        case (.regex(let x, _), .regex(let y, _)): return x == y
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .glob(let g): hasher.combine(0); hasher.combine(g)
        case .regex(let s, _): hasher.combine(1); hasher.combine(s)
        }
    }
}
