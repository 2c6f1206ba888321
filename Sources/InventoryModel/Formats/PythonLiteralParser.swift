/// A recursive-descent parser for the literal subset of Python's expression grammar. Any
/// construct outside it makes the whole parse fail (`nil`), as literal_eval would.
struct PythonLiteralParser {
    let s: [Unicode.Scalar]
    var p = 0
    /// Bracket depth: newlines are white space only inside brackets.
    var depth = 0
    /// CPython's tokenizer refuses more nested brackets ("too many nested parentheses").
    static let maximumDepth = 200

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    var atEnd: Bool { p >= s.count }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        p + offset < s.count ? s[p + offset] : nil
    }

    mutating func skipSpace(newlines: Bool = false) {
        while p < s.count {
            switch s[p] {
            case " ", "\t", "\u{0C}": p += 1
            case "\n", "\r":
                guard newlines || depth > 0 else { return }
                p += 1
            case "#":
                while p < s.count, s[p] != "\n", s[p] != "\r" { p += 1 }
            default: return
            }
        }
    }

    mutating func parseTop() -> PythonLiteralNode? {
        skipSpace(newlines: true)
        guard !atEnd, let (node, _) = parseExpressionList(closer: nil) else { return nil }
        skipSpace(newlines: true)
        return atEnd ? node : nil
    }

    /// `a, b, c` (a tuple, trailing comma allowed) or a single expression.
    mutating func parseExpressionList(closer: Unicode.Scalar?) -> (PythonLiteralNode, isTuple: Bool)? {
        guard let first = parseArithmetic() else { return nil }
        skipSpace()
        guard peek() == "," else { return (first, false) }
        var items = [first]
        while peek() == "," {
            p += 1
            skipSpace()
            if atEnd || peek() == closer { break }
            guard let next = parseArithmetic() else { return nil }
            items.append(next)
            skipSpace()
        }
        return (.tuple(items), true)
    }

    mutating func parseArithmetic() -> PythonLiteralNode? {
        guard var left = parseUnary() else { return nil }
        while true {
            skipSpace()
            guard let op = peek(), op == "+" || op == "-", peek(1) != "=" else { return left }
            p += 1
            guard let right = parseUnary() else { return nil }
            switch left {
            case .binary, .notLiteral: left = .notLiteral
            default: left = .binary(left, subtract: op == "-", right)
            }
        }
    }

    mutating func parseUnary() -> PythonLiteralNode? {
        var signs = 0
        var negative = false
        skipSpace()
        while let op = peek(), op == "+" || op == "-" {
            p += 1
            signs += 1
            negative = op == "-"
            skipSpace()
        }
        guard let operand = parseAtom() else { return nil }
        switch signs {
        case 0: return operand
        case 1: return .unary(negative: negative, operand)
        default: return .notLiteral
        }
    }

    /// Enters a bracket; false past CPython's nesting limit.
    mutating func open() -> Bool {
        depth += 1
        return depth <= Self.maximumDepth
    }

    mutating func parseAtom() -> PythonLiteralNode? {
        skipSpace()
        guard let c = peek() else { return nil }
        switch c {
        case "(":
            p += 1
            defer { depth -= 1 }
            guard open() else { return nil }
            skipSpace()
            if peek() == ")" {
                p += 1
                return .tuple([])
            }
            guard let (inner, _) = parseExpressionList(closer: ")"), peek() == ")" else { return nil }
            p += 1
            return inner
        case "[":
            p += 1
            defer { depth -= 1 }
            guard open() else { return nil }
            guard let items = parseSequence(closer: "]") else { return nil }
            return .list(items)
        case "{":
            return parseBraces()
        case "'", "\"":
            return parseStrings()
        case "0"..."9":
            return parseNumber()
        case ".":
            if let d = peek(1), ("0"..."9").contains(d) { return parseNumber() }
            if peek(1) == ".", peek(2) == "." {
                p += 3
                return .constant(.ellipsis)
            }
            return nil
        default:
            guard c.isASCII, PythonLiteral.isASCIILetter(UInt8(c.value)) || c == "_" else { return nil }
            return parseName()
        }
    }

    /// Comma-separated expressions up to `closer`, trailing comma allowed (inside brackets).
    mutating func parseSequence(closer: Unicode.Scalar) -> [PythonLiteralNode]? {
        var items: [PythonLiteralNode] = []
        while true {
            skipSpace()
            if peek() == closer {
                p += 1
                return items
            }
            guard let item = parseArithmetic() else { return nil }
            items.append(item)
            skipSpace()
            if peek() == "," {
                p += 1
            } else if peek() != closer {
                return nil
            }
        }
    }

    /// `{}`, `{k: v, ...}` or `{a, b, ...}`.
    mutating func parseBraces() -> PythonLiteralNode? {
        p += 1
        defer { depth -= 1 }
        guard open() else { return nil }
        skipSpace()
        if peek() == "}" {
            p += 1
            return .dict([])
        }
        guard let first = parseArithmetic() else { return nil }
        skipSpace()
        guard peek() == ":" else {
            var rest: [PythonLiteralNode] = [first]
            if peek() == "," {
                p += 1
                guard let more = parseSequence(closer: "}") else { return nil }
                rest += more
            } else {
                guard peek() == "}" else { return nil }
                p += 1
            }
            return .set(rest)
        }
        var pairs: [(PythonLiteralNode, PythonLiteralNode)] = []
        var key = first
        while true {
            p += 1  // the ':'
            guard let value = parseArithmetic() else { return nil }
            pairs.append((key, value))
            skipSpace()
            if peek() == "," {
                p += 1
                skipSpace()
            } else if peek() != "}" {
                return nil
            }
            if peek() == "}" {
                p += 1
                return .dict(pairs)
            }
            guard let next = parseArithmetic() else { return nil }
            key = next
            skipSpace()
            guard peek() == ":" else { return nil }
        }
    }

    /// `True`, `False`, `None`, `set()`, or a string prefix; any other name is no literal.
    mutating func parseName() -> PythonLiteralNode? {
        let start = p
        while let c = peek(), Self.isNameChar(c) { p += 1 }
        let name = String(String.UnicodeScalarView(s[start..<p]))
        if let q = peek(), q == "'" || q == "\"", Self.isStringPrefix(name) {
            p = start
            return parseStrings()
        }
        switch name {
        case "True": return .constant(.bool(true))
        case "False": return .constant(.bool(false))
        case "None": return .constant(.none)
        case "set":
            skipSpace()
            guard peek() == "(" else { return nil }
            p += 1
            defer { depth -= 1 }
            guard open() else { return nil }
            skipSpace()
            guard peek() == ")" else { return nil }
            p += 1
            return .emptySetCall
        default: return nil
        }
    }

    @inline(__always)
    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (PythonLiteral.isASCIILetter(UInt8(c.value)) || c == "_" || ("0"..."9").contains(c))
    }

    static func isStringPrefix(_ name: String) -> Bool {
        switch name.lowercased() {
        case "r", "u", "b", "br", "rb", "f", "fr", "rf": return true
        default: return false
        }
    }
}
