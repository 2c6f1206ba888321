/// Turns a composed document into ``YAMLValue``s as Ansible's `AnsibleConstructor` (PyYAML's
/// SafeConstructor plus `!unsafe` and `!vault`) does: implicit and explicit tags, merge keys
/// (`<<`) flattened as PyYAML's `flatten_mapping`, duplicate keys kept once with the last value
/// (Ansible warns), and each anchored node built once.
public struct YAMLConstructor {
    private let document: YAMLDocument
    private var cache: [Int: YAMLValue] = [:]
    private var unsafeDepth = 0
    /// Duplicate-key warnings, worded like Ansible's.
    public private(set) var warnings: [String] = []

    public init(document: YAMLDocument) {
        self.document = document
    }

    /// Builds the document's value; an empty document is `null`, as `yaml.load` returns `None`.
    public mutating func construct() throws(InventoryError) -> YAMLValue {
        guard let root = document.root else { return .null }
        return try construct(root)
    }

    private static let core = "tag:yaml.org,2002:"

    mutating func construct(_ node: YAMLNode) throws(InventoryError) -> YAMLValue {
        switch node {
        case .reference(let slot, _):
            if let cached = cache[slot] { return cached }
            let value = try construct(document.anchored[slot])
            cache[slot] = value
            return value
        case .scalar(let scalar):
            return try constructScalar(scalar)
        case .sequence(let items, let tag, let mark):
            switch tag {
            case nil, "!", Self.core + "seq":
                var out: [YAMLValue] = []
                out.reserveCapacity(items.count)
                for item in items { out.append(try construct(item)) }
                return .sequence(out)
            case "!unsafe":
                return try unsafely { (c: inout YAMLConstructor) throws(InventoryError) in
                    try c.construct(.sequence(items, tag: nil, mark: mark))
                }
            default:
                throw Self.tagError(tag!, kind: "sequence", mark: mark)
            }
        case .mapping(let pairs, let tag, let mark):
            switch tag {
            case nil, "!", Self.core + "map", Self.core + "python/dict":
                return try constructMapping(pairs, mark: mark)
            case "!unsafe":
                return try unsafely { (c: inout YAMLConstructor) throws(InventoryError) in
                    try c.constructMapping(pairs, mark: mark)
                }
            default:
                throw Self.tagError(tag!, kind: "mapping", mark: mark)
            }
        }
    }

    private mutating func unsafely(_ body: (inout YAMLConstructor) throws(InventoryError) -> YAMLValue)
        throws(InventoryError) -> YAMLValue
    {
        unsafeDepth += 1
        defer { unsafeDepth -= 1 }
        return try body(&self)
    }

    private static func tagError(_ tag: String, kind: String, mark: YAMLMark) -> InventoryError {
        switch tag {
        case core + "str", core + "int", core + "float", core + "bool", core + "null", core + "timestamp":
            return InventoryError(
                "YAML parsing failed: Expected a scalar node, but found \(kind).", location: mark.location)
        case core + "seq":
            return InventoryError(
                "YAML parsing failed: Expected a sequence node, but found \(kind).", location: mark.location)
        case core + "map":
            return InventoryError(
                "YAML parsing failed: Expected a mapping node, but found \(kind).", location: mark.location)
        case "!vault", "!vault-encrypted":
            return InventoryError(
                "YAML parsing failed: The '\(tag)' tag requires a string value.", location: mark.location)
        case core + "binary", core + "set", core + "omap", core + "pairs":
            // Ansible loads these but cannot print them as inventory JSON (it crashes).
            return InventoryError(
                "YAML parsing failed: The tag '\(tag)' is not supported in inventories.", location: mark.location)
        default:
            return InventoryError(
                "YAML parsing failed: Could not determine a constructor for the tag '\(tag)'.", location: mark.location)
        }
    }

    private mutating func constructScalar(_ node: YAMLScalarNode) throws(InventoryError) -> YAMLValue {
        let kind: YAMLImplicitTag
        switch node.tag {
        case nil:
            kind = node.style == .plain ? YAMLScalarResolver.resolvePlain(node.text) : .string
        case "!", Self.core + "str", Self.core + "python/unicode": kind = .string
        case Self.core + "int": kind = .int
        case Self.core + "float": kind = .float
        case Self.core + "bool": kind = .bool
        case Self.core + "null": kind = .null
        case Self.core + "timestamp": kind = .timestamp
        case "!unsafe":
            // Ansible re-resolves the text as if it were plain, even when it was quoted.
            var copy = node
            copy.tag = nil
            copy.style = .plain
            return try unsafely { (c: inout YAMLConstructor) throws(InventoryError) in try c.constructScalar(copy) }
        case "!vault", "!vault-encrypted":
            var copy = node
            copy.tag = nil
            copy.style = .plain
            guard let ciphertext = try constructScalar(copy).stringValue else {
                throw Self.tagError(node.tag!, kind: "scalar", mark: node.mark)
            }
            return .vault(ciphertext)
        case let tag?:
            throw Self.tagError(tag, kind: "scalar", mark: node.mark)
        }
        do {
            switch kind {
            case .string: return unsafeDepth > 0 ? .unsafe(node.text) : .string(node.text)
            case .null: return .null
            case .bool: return .bool(try YAMLScalarConstructor.bool(node.text))
            case .int: return .int(try YAMLScalarConstructor.int(node.text))
            case .float: return .float(try YAMLScalarConstructor.float(node.text))
            case .timestamp:
                let (iso, isDate) = try YAMLScalarConstructor.timestamp(node.text)
                return isDate ? .date(iso) : .datetime(iso)
            case .merge, .value:
                let tag = kind == .merge ? "merge" : "value"
                throw InventoryError(
                    "YAML parsing failed: Could not determine a constructor for the tag '\(Self.core)\(tag)'.",
                    location: node.mark.location)
            }
        } catch let failure as YAMLScalarConstructor.Failure {
            throw InventoryError("YAML parsing failed: \(failure.message)", location: node.mark.location)
        } catch let error as InventoryError {
            throw error
        } catch {
            throw InventoryError("YAML parsing failed: \(error)", location: node.mark.location)
        }
    }

    private func resolved(_ node: YAMLNode) -> YAMLNode {
        if case .reference(let slot, _) = node { return resolved(document.anchored[slot]) }
        return node
    }

    /// A cheap pre-check, so that ordinary mappings skip the merge machinery.
    private static func mayBeMergeKey(_ node: YAMLNode) -> Bool {
        switch node {
        case .scalar(let s): return s.tag != nil || s.text.utf8.first == UInt8(ascii: "<")
        case .reference: return true
        default: return false
        }
    }

    private func isMergeKey(_ node: YAMLNode) -> Bool {
        guard case .scalar(let s) = resolved(node) else { return false }
        if s.tag == Self.core + "merge" { return true }
        return s.tag == nil && s.style == .plain && s.text == "<<"
    }

    /// PyYAML's `flatten_mapping`: merged pairs first (from a list of mappings, the first
    /// mapping last so that it wins), then the mapping's own pairs.
    private func flatten(_ pairs: [YAMLNodePair]) throws(InventoryError) -> [YAMLNodePair] {
        guard pairs.contains(where: { Self.mayBeMergeKey($0.key) && isMergeKey($0.key) }) else { return pairs }
        var merged: [YAMLNodePair] = []
        var own: [YAMLNodePair] = []
        for pair in pairs {
            guard isMergeKey(pair.key) else {
                own.append(pair)
                continue
            }
            switch resolved(pair.value) {
            case .mapping(let inner, _, _):
                merged.append(contentsOf: try flatten(inner))
            case .sequence(let items, _, _):
                var groups: [[YAMLNodePair]] = []
                for item in items {
                    guard case .mapping(let inner, _, _) = resolved(item) else {
                        throw InventoryError(
                            "YAML parsing failed: While constructing a mapping expected a mapping for merging, but "
                                + "found \(Self.kindName(resolved(item))).",
                            location: item.mark.location)
                    }
                    groups.append(try flatten(inner))
                }
                for group in groups.reversed() { merged.append(contentsOf: group) }
            default:
                throw InventoryError(
                    "YAML parsing failed: While constructing a mapping expected a mapping or list of mappings for "
                        + "merging, but found scalar.",
                    location: pair.value.mark.location)
            }
        }
        return merged + own
    }

    private static func kindName(_ node: YAMLNode) -> String {
        switch node {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        case .reference: return "alias"
        }
    }

    private mutating func constructMapping(_ pairs: [YAMLNodePair], mark: YAMLMark) throws(InventoryError) -> YAMLValue
    {
        let flat = try flatten(pairs)
        var entries: [YAMLEntry] = []
        entries.reserveCapacity(flat.count)
        // Small mappings (host vars) are scanned; large ones (a group's hosts) get an index.
        var index: [YAMLDictKey: Int]? = flat.count > 8 ? Dictionary(minimumCapacity: flat.count) : nil
        for pair in flat {
            let key = try construct(pair.key)
            switch key {
            case .sequence, .mapping:
                throw InventoryError(
                    "YAML parsing failed: While constructing a mapping found unhashable key.",
                    location: pair.key.mark.location)
            default: break
            }
            let value = try construct(pair.value)
            let pyKey = YAMLDictKey(key)
            let existing: Int?
            if index != nil {
                existing = index![pyKey]
            } else {
                existing = entries.firstIndex { YAMLDictKey.equal($0.key, key) }
            }
            if let existing {
                let m = pair.key.mark
                warnings.append(
                    "Found duplicate mapping key \(key.pythonRepr) (line \(m.line), column \(m.column)). Using last "
                        + "defined value only."
                )
                entries[existing].value = value
                entries[existing].valueMark = pair.value.mark
            } else {
                index?[pyKey] = entries.count
                entries.append(YAMLEntry(key: key, value: value, keyMark: pair.key.mark, valueMark: pair.value.mark))
            }
        }
        return .mapping(entries)
    }
}

/// A mapping key with Python's equality: `1 == 1.0 == True`, an `!unsafe` string equals the
/// same plain string.
struct YAMLDictKey: Hashable {
    let value: YAMLValue
    init(_ value: YAMLValue) { self.value = value }

    private enum Normal: Hashable {
        case none, number(Int), real(Double), text(String), other(YAMLValue)
    }

    private var normal: Normal {
        switch value {
        case .null: return .none
        case .bool(let b): return .number(b ? 1 : 0)
        case .int(let i): return .number(i)
        case .float(let d):
            if d.rounded() == d, let i = Int(exactly: d) { return .number(i) }
            return .real(d)
        case .string(let s), .unsafe(let s): return .text(s)
        default: return .other(value)
        }
    }

    static func == (a: YAMLDictKey, b: YAMLDictKey) -> Bool { equal(a.value, b.value) }

    /// Python key equality, with a fast path for the usual case of two strings.
    static func equal(_ a: YAMLValue, _ b: YAMLValue) -> Bool {
        if case .string(let x) = a, case .string(let y) = b { return x == y }
        return YAMLDictKey(a).normal == YAMLDictKey(b).normal
    }
    func hash(into hasher: inout Hasher) { hasher.combine(normal) }
}
