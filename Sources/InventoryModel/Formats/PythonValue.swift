/// A value that Python's `ast.literal_eval` can produce.
public indirect enum PythonValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    /// An `int` beyond 64 bits, held as the nearest double.
    case bigInt(Double)
    case float(Double)
    case complex(real: Double, imag: Double)
    case string(String)
    case bytes([UInt8])
    /// `...`
    case ellipsis
    case list([PythonValue])
    case tuple([PythonValue])
    /// Elements in source order, duplicates (by Python equality) removed.
    case set([PythonValue])
    /// Entries in first-insertion order; a repeated key keeps its place and takes the last value.
    case dict([DictEntry])

    /// One `key: value` pair of a ``PythonValue/dict(_:)``.
    public struct DictEntry: Sendable, Hashable {
        public var key: PythonValue
        public var value: PythonValue
        public init(key: PythonValue, value: PythonValue) {
            self.key = key
            self.value = value
        }
    }

    /// Python's type name, for messages.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .complex: return "complex"
        case .string: return "str"
        case .bytes: return "bytes"
        case .ellipsis: return "ellipsis"
        case .list: return "list"
        case .tuple: return "tuple"
        case .set: return "set"
        case .dict: return "dict"
        }
    }
}

/// Python's equality for hashable values, so that `{1: 'a', 1.0: 'b', True: 'c'}` has one key
/// as in Python; `nil` for unhashable values (lists, dicts, sets, tuples holding them).
enum PythonKey: Hashable {
    case none
    case int(Int)
    case float(Double)
    case complex(Double, Double)
    case string(String)
    case bytes([UInt8])
    case ellipsis
    case tuple([PythonKey])

    init?(_ value: PythonValue) {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .bigInt(let d), .float(let d): self = PythonKey.number(d)
        case .complex(let re, let im): self = im == 0 ? PythonKey.number(re) : .complex(re, im)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .bytes(b)
        case .ellipsis: self = .ellipsis
        case .tuple(let items):
            var keys: [PythonKey] = []
            for item in items {
                guard let k = PythonKey(item) else { return nil }
                keys.append(k)
            }
            self = .tuple(keys)
        case .list, .set, .dict: return nil
        }
    }

    private static func number(_ d: Double) -> PythonKey {
        if d == d.rounded(), let i = Int(exactly: d) { return .int(i) }
        return .float(d == 0 ? 0 : d)
    }

    /// The first unhashable type inside a value, for Python's `unhashable type: 'list'`.
    static func unhashableType(in value: PythonValue) -> String {
        if case .tuple(let items) = value {
            for item in items where PythonKey(item) == nil { return unhashableType(in: item) }
        }
        return value.typeName
    }
}

extension PythonValue {
    /// The value as ansible-core's INI reader stores it and `ansible-inventory --export` prints it.
    ///
    /// Tuples and sets become lists; complex numbers become their `str()`; `...` becomes `"..."`;
    /// bytes, which Ansible decodes but does not trust as templates, print as
    /// `{"__ansible_unsafe": text}` (Ansible's own JSON for untrusted strings, which it reads
    /// back as an unsafe string). Dict keys that are numbers, booleans or `None` become the
    /// strings Python's JSON encoder writes for them.
    ///
    /// - Throws: for dict keys Ansible keeps but cannot print (tuples, bytes, complex, `...`):
    ///   `ansible-inventory` crashes on those, so such an inventory is rejected up front.
    public func inventoryValue() throws(InventoryError) -> JSONValue {
        switch self {
        case .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .bigInt(let d), .float(let d): return .double(d)
        case .complex(let re, let im): return .string(Self.complexRepr(re, im))
        case .string(let s): return .string(s)
        case .bytes(let b): return .object(["__ansible_unsafe": .string(Self.decodeUTF8(b))])
        case .ellipsis: return .string("...")
        case .list(let items), .tuple(let items), .set(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try item.inventoryValue()) }
            return .array(out)
        case .dict(let entries):
            var out = JSONObject()
            out.reserveCapacity(entries.count)
            for entry in entries {
                let key: String
                switch entry.key {
                case .string(let s): key = s
                case .int(let i): key = String(i)
                case .bool(let b): key = b ? "true" : "false"
                case .none: key = "null"
                case .bigInt(let d), .float(let d): key = JSONWriter.pythonRepr(d)
                default:
                    throw InventoryError(
                        "a dict key of type \(entry.key.typeName) cannot be written as JSON (ansible-inventory fails "
                            + "on it too)"
                    )
                }
                // Distinct Python keys can print alike (1.0 and "1.0"); Python's encoder keeps both, JSON readers the last.
                out[key] = try entry.value.inventoryValue()
            }
            return .object(out)
        }
    }

    /// `str(complex)`: `1j`, `(1+2j)`, `(-0-1j)`, `1e+16j`, `infj`.
    static func complexRepr(_ re: Double, _ im: Double) -> String {
        func part(_ d: Double) -> String {
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            var s = JSONWriter.pythonRepr(d)
            if s.hasSuffix(".0") { s.removeLast(2) }
            return s
        }
        if re == 0 && re.sign == .plus { return part(im) + "j" }
        var imag = part(im)
        if !(imag.hasPrefix("-")) { imag = "+" + imag }
        return "(" + part(re) + imag + "j)"
    }

    /// Bytes as Ansible's `to_text` decodes them; bytes that are not UTF-8 become U+FFFD where
    /// Python would keep lone surrogates, which no Swift string (and no JSON reader) can hold.
    static func decodeUTF8(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
