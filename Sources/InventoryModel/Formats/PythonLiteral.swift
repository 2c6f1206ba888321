/// Why ``PythonLiteral/evaluate(_:)`` failed where Python raises something other than
/// `ValueError`/`SyntaxError` (which Ansible catches to keep the text as a string).
public struct PythonLiteralError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Python's message, e.g. `unhashable type: 'list'`.
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Python's `ast.literal_eval`, for the values of INI inventories.
///
/// Accepts exactly what CPython 3.11 accepts: string and bytes literals in every quote form
/// and prefix (`r`, `u`, `b`, `rb`; `f`-strings are rejected as in Python), with escapes and
/// adjacent literals concatenated; ints (`_`, `0x`, `0o`, `0b`; `017` is a syntax error);
/// floats; imaginary numbers and `int ± complex`; `True`, `False`, `None`, `...`; tuples,
/// lists, sets, `set()` and dicts; unary `+`/`-` on a number; a trailing `# comment`.
/// Anything else (names, calls, operators, `--1`, `-True`) is rejected.
public enum PythonLiteral {
    /// Evaluates `text` as `ast.literal_eval` does.
    ///
    /// - Returns: the value, or `nil` where Python raises `ValueError` or `SyntaxError`.
    /// - Throws: where Python raises `TypeError` (an unhashable set element or dict key),
    ///   which Ansible does not catch.
    public static func evaluate(_ text: some StringProtocol) throws(PythonLiteralError) -> PythonValue? {
        if quickReject(text.utf8) { return nil }
        var scalars = Array(text.unicodeScalars)
        // literal_eval strips leading spaces and tabs, then parses in `eval` mode.
        let lead = scalars.prefix { $0 == " " || $0 == "\t" }.count
        if lead > 0 { scalars.removeFirst(lead) }
        // CPython refuses source code with NUL characters before parsing.
        if scalars.contains("\0") { return nil }
        var parser = PythonLiteralParser(scalars)
        guard let node = parser.parseTop() else { return nil }
        return try node.evaluate()
    }

    /// Most inventory values are plain words (`prod`, `web01`): a name that is no keyword,
    /// `set` or string prefix is never a literal, so those skip the parser.
    private static func quickReject(_ utf8: some Collection<UInt8>) -> Bool {
        var it = utf8.makeIterator()
        var c = it.next()
        while c == 0x20 || c == 0x09 { c = it.next() }
        guard let first = c, first == 0x5F || isASCIILetter(first) else { return false }
        var name: [UInt8] = [first]
        while let n = it.next() {
            if n == 0x5F || isASCIILetter(n) || (n >= 0x30 && n <= 0x39) {
                if name.count < 6 { name.append(n) } else { return true }
                continue
            }
            // Maybe a string prefix (`r'...'`, `b"..."`).
            if n == 0x27 || n == 0x22 { return false }
            break
        }
        switch name {
        case Array("True".utf8), Array("False".utf8), Array("None".utf8), Array("set".utf8): return false
        default: return true
        }
    }

    @inline(__always)
    static func isASCIILetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
    }

    /// What ansible-core's INI reader makes of a raw value (its `_parse_value`): the literal's
    /// value converted by ``PythonValue/inventoryValue()``, or the text itself when it is no
    /// Python literal.
    public static func inventoryValue(_ text: some StringProtocol) throws(InventoryError) -> JSONValue {
        let value: PythonValue?
        do {
            value = try evaluate(text)
        } catch {
            throw InventoryError(error.message)
        }
        guard let value else { return .string(String(text)) }
        return try value.inventoryValue()
    }
}

/// The expression tree `ast.parse` would build, for the shapes literal_eval can accept.
indirect enum PythonLiteralNode {
    case constant(PythonValue)
    /// The int 2**63: only its negation fits in an `Int`.
    case twoToThe63
    case unary(negative: Bool, PythonLiteralNode)
    case binary(PythonLiteralNode, subtract: Bool, PythonLiteralNode)
    case tuple([PythonLiteralNode])
    case list([PythonLiteralNode])
    case set([PythonLiteralNode])
    case dict([(PythonLiteralNode, PythonLiteralNode)])
    case emptySetCall
    /// Operators literal_eval never accepts (`--1`, `1+2+3j`), kept as one node so that a long
    /// chain of them builds no deep tree.
    case notLiteral

    /// literal_eval's `_convert`.
    func evaluate() throws(PythonLiteralError) -> PythonValue? {
        switch self {
        case .constant(let v): return v
        case .twoToThe63: return .bigInt(9_223_372_036_854_775_808)
        case .tuple(let nodes), .list(let nodes):
            var items: [PythonValue] = []
            items.reserveCapacity(nodes.count)
            for node in nodes {
                guard let v = try node.evaluate() else { return nil }
                items.append(v)
            }
            if case .tuple = self { return .tuple(items) }
            return .list(items)
        case .emptySetCall:
            return .set([])
        case .notLiteral:
            return nil
        case .set(let nodes):
            // `set(map(_convert, elts))`: each element is converted, then hashed, in turn.
            var seen = Set<PythonKey>()
            var items: [PythonValue] = []
            for node in nodes {
                guard let v = try node.evaluate() else { return nil }
                guard let key = PythonKey(v) else { throw Self.unhashable(v) }
                if seen.insert(key).inserted { items.append(v) }
            }
            return .set(items)
        case .dict(let pairs):
            var positions: [PythonKey: Int] = [:]
            var entries: [PythonValue.DictEntry] = []
            for (keyNode, valueNode) in pairs {
                guard let k = try keyNode.evaluate(), let v = try valueNode.evaluate() else { return nil }
                guard let key = PythonKey(k) else { throw Self.unhashable(k) }
                if let at = positions[key] {
                    entries[at].value = v
                } else {
                    positions[key] = entries.count
                    entries.append(.init(key: k, value: v))
                }
            }
            return .dict(entries)
        case .binary(let left, let subtract, let right):
            // Only `int/float ± complex` (how complex literals are written) is a literal.
            guard let l = left.signedNumber(), let r = right.number(), case .complex(let rr, let ri) = r else {
                return nil
            }
            let lr: Double
            switch l {
            case .int(let i): lr = Double(i)
            case .bigInt(let d), .float(let d): lr = d
            default: return nil
            }
            return subtract ? .complex(real: lr - rr, imag: 0.0 - ri) : .complex(real: lr + rr, imag: 0.0 + ri)
        case .unary:
            return signedNumber()
        }
    }

    /// `_convert_signed_num`.
    private func signedNumber() -> PythonValue? {
        guard case .unary(let negative, let operand) = self else { return number() }
        if negative, case .twoToThe63 = operand { return .int(.min) }
        guard let v = operand.number() else { return nil }
        guard negative else { return v }
        switch v {
        case .int(let i): return .int(-i)
        case .bigInt(let d): return .bigInt(-d)
        case .float(let d): return .float(-d)
        case .complex(let re, let im): return .complex(real: -re, imag: -im)
        default: return nil
        }
    }

    /// `_convert_num`: a constant of type int, float or complex (not bool).
    private func number() -> PythonValue? {
        switch self {
        case .twoToThe63: return .bigInt(9_223_372_036_854_775_808)
        case .constant(let v):
            switch v {
            case .int, .bigInt, .float, .complex: return v
            default: return nil
            }
        default: return nil
        }
    }

    private static func unhashable(_ v: PythonValue) -> PythonLiteralError {
        PythonLiteralError(message: "unhashable type: '\(PythonKey.unhashableType(in: v))'")
    }
}
