/// Where in a source an inventory problem was found, so the message can point at it.
public enum SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// A line (1-based) and optionally a column in a text file.
    case line(Int, column: Int? = nil)
    /// A JSON path such as `$.web.hosts[3]`.
    case path(String)

    public var description: String {
        switch self {
        case .line(let l, let c?): return "line \(l), column \(c)"
        case .line(let l, nil): return "line \(l)"
        case .path(let p): return p
        }
    }
}

/// Why an inventory could not be read or built, with where and what was expected.
///
/// The messages follow ansible-core's wording where Ansible fails on the same input, so that
/// users recognise them.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or source name (`-` for standard input), when known.
    public var source: String?
    /// Where in the source, when known.
    public var location: SourceLocation?
    /// What was wrong and, where it helps, what was expected instead.
    public var message: String

    public init(_ message: String, source: String? = nil, location: SourceLocation? = nil) {
        self.message = message
        self.source = source
        self.location = location
    }

    /// The same error, attributed to a file when it did not name one yet.
    public func inSource(_ name: String?) -> InventoryError {
        var copy = self
        if copy.source == nil { copy.source = name }
        return copy
    }

    public var description: String {
        var prefix = ""
        if let source { prefix += source }
        if let location { prefix += prefix.isEmpty ? "\(location)" : ":\(location)" }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}
