/// What a token may do. Scopes nest: `admin` can do everything `claim` can, `claim`
/// everything `read` can, so one scope per token is enough.
public enum Scope: String, Sendable, CaseIterable, Codable, Comparable {
    /// GET anything.
    case read
    /// Claim, heartbeat, complete and release batches, plus `read`.
    case claim
    /// Import and delete pools, create and change cursors, plus `claim`.
    case admin

    var rank: Int {
        switch self {
        case .read: return 0
        case .claim: return 1
        case .admin: return 2
        }
    }

    public static func < (a: Scope, b: Scope) -> Bool { a.rank < b.rank }

    /// Whether a token with this scope may do what `required` demands.
    public func allows(_ required: Scope) -> Bool { self >= required }
}
