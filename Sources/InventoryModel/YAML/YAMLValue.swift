/// A value as Ansible's YAML loader builds it (PyYAML's SafeConstructor plus Ansible's tags),
/// before it becomes JSON. It keeps what JSON cannot tell apart but the inventory plugin can:
/// dates, `!unsafe` and `!vault` strings, non-string mapping keys and key positions.
public enum YAMLValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A string tagged `!unsafe`: Ansible will not template it.
    case unsafe(String)
    /// A `!vault` string: the ciphertext.
    case vault(String)
    /// A `datetime.date`, as its ISO text (`2024-01-15`).
    case date(String)
    /// A `datetime.datetime`, as Python's `isoformat()`.
    case datetime(String)
    case sequence([YAMLValue])
    /// A mapping with Python `dict` semantics: unique keys, first position, last value.
    case mapping([YAMLEntry])

    /// The text of a `str` (plain or `!unsafe`), as Python code would see it.
    public var stringValue: String? {
        switch self {
        case .string(let s), .unsafe(let s): return s
        default: return nil
        }
    }

    /// Python's truth value (`if not data:`, `value or {}`).
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s), .unsafe(let s), .vault(let s): return !s.isEmpty
        case .date, .datetime: return true
        case .sequence(let a): return !a.isEmpty
        case .mapping(let m): return !m.isEmpty
        }
    }

    /// Python's `type(x)` as printed by `%s`, for messages that match Ansible's.
    public var pythonType: String {
        let name: String
        switch self {
        case .null: name = "NoneType"
        case .bool: name = "bool"
        case .int: name = "int"
        case .float: name = "float"
        case .string, .unsafe: name = "str"
        case .vault: name = "ansible.parsing.vault.EncryptedString"
        case .date: name = "datetime.date"
        case .datetime: name = "datetime.datetime"
        case .sequence: name = "list"
        case .mapping: name = "dict"
        }
        return "<class '\(name)'>"
    }

    /// Python's `str(x)`.
    public var pythonStr: String {
        switch self {
        case .string(let s), .unsafe(let s), .vault(let s): return s
        case .date(let iso): return iso
        case .datetime(let iso):
            // str(datetime) uses a space where isoformat() uses a T.
            return iso.count > 10 ? String(iso.prefix(10)) + " " + iso.dropFirst(11) : iso
        default: return pythonRepr
        }
    }

    /// Python's `repr(x)`.
    public var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return YAMLPythonFormat.floatRepr(d)
        case .string(let s), .unsafe(let s), .vault(let s): return YAMLPythonFormat.stringRepr(s)
        case .date(let iso), .datetime(let iso): return iso
        case .sequence(let a): return "[" + a.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .mapping(let m):
            return "{" + m.map { "\($0.key.pythonRepr): \($0.value.pythonRepr)" }.joined(separator: ", ") + "}"
        }
    }
}

/// One key/value pair of a mapping, with where they were written (absent for JSON input).
public struct YAMLEntry: Sendable, Hashable {
    public var key: YAMLValue
    public var value: YAMLValue
    public var keyMark: YAMLMark?
    public var valueMark: YAMLMark?

    public init(key: YAMLValue, value: YAMLValue, keyMark: YAMLMark? = nil, valueMark: YAMLMark? = nil) {
        self.key = key
        self.value = value
        self.keyMark = keyMark
        self.valueMark = valueMark
    }
}

extension YAMLValue {
    /// The value as `ansible-inventory --list --export` prints it: timestamps as ISO text,
    /// `!unsafe` strings as `{"__ansible_unsafe": ...}` and `!vault` as `{"__ansible_vault": ...}`
    /// (Ansible's legacy inventory JSON profile, which Ansible reads back into the same values),
    /// mapping keys as Python's `json.dumps` writes them.
    public func json() throws(InventoryError) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .string(let s): return .string(s)
        case .unsafe(let s): return .object(["__ansible_unsafe": .string(s)])
        case .vault(let s): return .object(["__ansible_vault": .string(s)])
        case .date(let iso), .datetime(let iso): return .string(iso)
        case .sequence(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try item.json()) }
            return .array(out)
        case .mapping(let entries):
            var out = JSONObject(minimumCapacity: entries.count)
            for entry in entries { out[try entry.jsonKey()] = try entry.value.json() }
            return .object(out)
        }
    }

    /// Reads a JSON document the way Ansible's legacy JSON decoder does, so that JSON text
    /// (which Ansible tries before YAML) yields the same values.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .sequence(a.map(YAMLValue.init(json:)))
        case .object(let o):
            if o.count == 1, case .string(let s)? = o["__ansible_unsafe"] {
                self = .unsafe(s)
            } else if o.count == 1, case .string(let s)? = o["__ansible_vault"] {
                self = .vault(s)
            } else {
                self = .mapping(o.map { YAMLEntry(key: .string($0.key), value: YAMLValue(json: $0.value)) })
            }
        }
    }
}

extension YAMLEntry {
    /// The key as Python's `json.dumps` writes a dict key: `1` → `"1"`, `True` → `"true"`,
    /// `None` → `"null"`, floats as `repr` (`Infinity`, `NaN` for the non-finite ones).
    public func jsonKey() throws(InventoryError) -> String {
        switch key {
        case .string(let s), .unsafe(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .float(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return YAMLPythonFormat.floatRepr(d)
        default:
            // ansible-inventory itself crashes on these ("Key of type ... is not JSON serializable").
            throw InventoryError(
                "mapping key \(key.pythonStr) (\(key.pythonType)) cannot be a JSON key; quote it to make it a string",
                location: keyMark?.location)
        }
    }
}
