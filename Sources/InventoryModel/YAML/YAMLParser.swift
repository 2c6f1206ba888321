import CYaml

/// Composes libyaml's event stream into a ``YAMLDocument``, as PyYAML's `CParser` composer
/// does for `yaml.load`: one document at most, anchors and aliases resolved.
public enum YAMLParser {
    /// Parses `text` as a YAML stream of at most one document.
    ///
    /// Errors read like Ansible's ("YAML parsing failed: ...") with libyaml's context and
    /// problem text, and point at libyaml's problem mark.
    public static func parse(_ text: String) throws(InventoryError) -> YAMLDocument {
        var text = text
        // libyaml reads straight from our UTF-8 storage: no copy of a large inventory.
        let result: Result<YAMLDocument, InventoryError> = text.withUTF8 { bytes in
            var composer = Composer()
            do throws(InventoryError) {
                return .success(try composer.run(bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

private struct Composer {
    /// An open collection. Items live in separate stacks so that appending never copies.
    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var mark: YAMLMark
        var slot: Int?
        var pendingKey: YAMLNode?
        /// The greatest height among its items so far (a scalar is 0, a collection 1 more than its items).
        var height = 0
    }

    /// Constructing and writing the value recurse once per level, so deeper documents are refused
    /// as the JSON reader refuses them, aliases of deep nodes included.
    static let maximumDepth = 512

    private var stack: [Frame] = []
    private var items: [[YAMLNode]] = []
    private var pairs: [[YAMLNodePair]] = []
    private var root: YAMLNode?
    private var anchored: [YAMLNode] = []
    private var anchoredHeights: [Int] = []
    private var anchors: [String: Int] = [:]
    private var anchorMarks: [String: YAMLMark] = [:]
    private var composing: Set<Int> = []
    private var documents = 0

    mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) throws(InventoryError) -> YAMLDocument {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw InventoryError("YAML parsing failed: libyaml could not be initialised")
        }
        defer { yaml_parser_delete(&parser) }
        if let base = bytes.baseAddress {
            yaml_parser_set_input_string(&parser, base, bytes.count)
        } else {
            // An empty Swift string may have no storage; libyaml still wants a pointer.
            let empty: [UInt8] = [0]
            empty.withUnsafeBufferPointer { yaml_parser_set_input_string(&parser, $0.baseAddress!, 0) }
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.error(from: parser) }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try handle(event)
        }
        return YAMLDocument(root: root, anchored: anchored)
    }

    private mutating func handle(_ event: yaml_event_t) throws(InventoryError) {
        let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw InventoryError(
                    "YAML parsing failed: Expected a single document in the stream but found another document.",
                    location: mark.location)
            }
            // Anchors do not cross documents (PyYAML's composer resets them per document).
            anchors = [:]
            anchorMarks = [:]
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: Int(s.length)), as: UTF8.self)
            let style: YAMLScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let node = YAMLNode.scalar(YAMLScalarNode(text: text, tag: Self.string(s.tag), style: style, mark: mark))
            if let anchor = Self.string(s.anchor) {
                try define(anchor, at: mark)
                let slot = anchored.count
                anchored.append(node)
                anchoredHeights.append(0)
                anchors[anchor] = slot
                try add(.reference(slot, mark: mark), height: 0)
            } else {
                try add(node, height: 0)
            }
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let slot = anchors[name] else {
                throw InventoryError("YAML parsing failed: Found undefined alias '\(name)'.", location: mark.location)
            }
            guard !composing.contains(slot) else {
                // PyYAML can build a self-containing object here; JSON cannot hold one.
                throw InventoryError(
                    "YAML parsing failed: Found recursive alias '\(name)', which JSON cannot represent.",
                    location: mark.location)
            }
            try add(.reference(slot, mark: mark), height: anchoredHeights[slot])
        case YAML_SEQUENCE_START_EVENT:
            try checkDepth(stack.count + 1, at: mark)
            let d = event.data.sequence_start
            stack.append(
                Frame(
                    isMapping: false, tag: Self.string(d.tag), mark: mark,
                    slot: try reserveSlot(Self.string(d.anchor), at: mark)))
            items.append([])
        case YAML_MAPPING_START_EVENT:
            try checkDepth(stack.count + 1, at: mark)
            let d = event.data.mapping_start
            stack.append(
                Frame(
                    isMapping: true, tag: Self.string(d.tag), mark: mark,
                    slot: try reserveSlot(Self.string(d.anchor), at: mark)))
            pairs.append([])
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let node: YAMLNode =
                frame.isMapping
                ? .mapping(pairs.removeLast(), tag: frame.tag, mark: frame.mark)
                : .sequence(items.removeLast(), tag: frame.tag, mark: frame.mark)
            let height = frame.height + 1
            if let slot = frame.slot {
                anchored[slot] = node
                anchoredHeights[slot] = height
                composing.remove(slot)
                try add(.reference(slot, mark: node.mark), height: height)
            } else {
                try add(node, height: height)
            }
        default:
            break
        }
    }

    /// PyYAML's composer rejects an anchor defined twice in one document.
    private mutating func define(_ anchor: String, at mark: YAMLMark) throws(InventoryError) {
        if let first = anchorMarks[anchor] {
            throw InventoryError(
                "YAML parsing failed: Found duplicate anchor '\(anchor)'; first occurrence at \(first), second "
                    + "occurrence here.",
                location: mark.location)
        }
        anchorMarks[anchor] = mark
    }

    private mutating func reserveSlot(_ anchor: String?, at mark: YAMLMark) throws(InventoryError) -> Int? {
        guard let anchor else { return nil }
        try define(anchor, at: mark)
        let slot = anchored.count
        anchored.append(.sequence([], tag: nil, mark: YAMLMark(line: 0, column: 0)))
        anchoredHeights.append(0)
        anchors[anchor] = slot
        composing.insert(slot)
        return slot
    }

    private func checkDepth(_ depth: Int, at mark: YAMLMark) throws(InventoryError) {
        if depth > Self.maximumDepth {
            throw InventoryError(
                "YAML parsing failed: nesting deeper than \(Self.maximumDepth) levels.", location: mark.location)
        }
    }

    /// Adds a node of `height` levels to the open collection, or makes it the document's root.
    private mutating func add(_ node: YAMLNode, height: Int) throws(InventoryError) {
        guard let top = stack.indices.last else {
            root = node
            return
        }
        try checkDepth(stack.count + height, at: node.mark)
        stack[top].height = max(stack[top].height, height)
        if !stack[top].isMapping {
            items[items.count - 1].append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pendingKey = nil
            pairs[pairs.count - 1].append(YAMLNodePair(key: key, value: node))
        } else {
            stack[top].pendingKey = node
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func error(from parser: yaml_parser_t) -> InventoryError {
        // Ansible joins PyYAML's context and problem, capitalises and ends with a period.
        let parts = [parser.context, parser.problem].compactMap { $0.map { String(cString: $0) } }
        var message = parts.joined(separator: " ")
        if let first = message.first { message = first.uppercased() + message.dropFirst() }
        if message.isEmpty { message = "Unknown libyaml error" }
        if !message.hasSuffix(".") { message += "." }
        let mark = parser.problem_mark
        return InventoryError(
            "YAML parsing failed: \(message)",
            location: .line(Int(mark.line) + 1, column: Int(mark.column) + 1))
    }
}
