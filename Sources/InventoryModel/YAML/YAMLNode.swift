/// A position in a YAML text, 1-based, as libyaml reports it (plus one).
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    /// The line, counting from 1.
    public var line: Int
    /// The column, counting from 1.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The mark as an inventory error location.
    public var location: SourceLocation { .line(line, column: column) }

    public var description: String { "line \(line), column \(column)" }
}

/// How a scalar was written. Only plain scalars take part in implicit type resolution.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// A scalar as written: its text after YAML unescaping and folding, its explicit tag if any
/// (`!!int` arrives expanded as `tag:yaml.org,2002:int`), and its style.
public struct YAMLScalarNode: Sendable, Hashable {
    public var text: String
    public var tag: String?
    public var style: YAMLScalarStyle
    public var mark: YAMLMark
}

/// One node of a composed YAML document (the representation graph, before construction).
///
/// Anchored nodes live once in ``YAMLDocument/anchored``; both the anchor's own site and every
/// alias refer to that slot, so that construction happens once per anchor, as PyYAML's
/// constructor caches objects per node (one duplicate-key warning, no alias blow-up).
public enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalarNode)
    case sequence([YAMLNode], tag: String?, mark: YAMLMark)
    case mapping([YAMLNodePair], tag: String?, mark: YAMLMark)
    /// The anchored node in slot `index` of the document.
    case reference(Int, mark: YAMLMark)

    /// Where the node starts.
    public var mark: YAMLMark {
        switch self {
        case .scalar(let s): return s.mark
        case .sequence(_, _, let m), .mapping(_, _, let m), .reference(_, let m): return m
        }
    }
}

/// A key/value pair of a mapping node, in document order.
public struct YAMLNodePair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// A single composed YAML document.
public struct YAMLDocument: Sendable, Hashable {
    /// The root node, or `nil` for an empty stream.
    public var root: YAMLNode?
    /// Anchored nodes, by slot; see ``YAMLNode/reference(_:mark:)``.
    public var anchored: [YAMLNode]
}
