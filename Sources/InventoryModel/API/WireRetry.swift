/// The order of a retry cursor's hosts.
public enum RetryOrder: Sendable, Hashable, Codable {
    /// A host order, as a cursor's `order`.
    case hosts(HostOrder)
    /// By when their batch completed, the latest first and the plan reversed within a batch:
    /// "undo what was done, newest first", for a rollback.
    case newestFirst
    /// By when their batch completed, the earliest first.
    case oldestFirst

    /// The names the API takes: the host orders, `newest_first` and `oldest_first`.
    public static let names = HostOrder.allCases.map(\.rawValue) + ["newest_first", "oldest_first"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        switch text {
        case "newest_first": self = .newestFirst
        case "oldest_first": self = .oldestFirst
        default:
            guard let order = HostOrder(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    in: c, debugDescription: "order must be one of \(Self.names.joined(separator: ", ")), got \(text)")
            }
            self = .hosts(order)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .hosts(let order): try c.encode(order.rawValue)
        case .newestFirst: try c.encode("newest_first")
        case .oldestFirst: try c.encode("oldest_first")
        }
    }
}

/// `POST /api/v1/cursors/NAME/retry`: a new cursor over some hosts of an old one, on the same
/// pool revision: by default its failed and unreachable hosts; with `select: ["ok", "changed"]`
/// and `order: "newest_first"`, the hosts it changed, the last first (a rollback). Unset
/// settings are taken from the old cursor, but not its tiers.
public struct RetryRequest: Codable, Sendable, Hashable {
    public var name: String
    public var batchSize: BatchSize?
    public var order: RetryOrder?
    /// The results whose hosts the new cursor takes; failed and unreachable when unset.
    public var select: [HostStatus]

    public init(name: String, batchSize: BatchSize? = nil, order: RetryOrder? = nil, select: [HostStatus]? = nil) {
        self.name = name
        self.batchSize = batchSize
        self.order = order
        self.select = select ?? [.failed, .unreachable]
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, order, select
        case batchSize = "batch_size"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        batchSize = try c.decodeIfPresent(BatchSize.self, forKey: .batchSize)
        order = try c.decodeIfPresent(RetryOrder.self, forKey: .order)
        select = try c.decodeIfPresent([HostStatus].self, forKey: .select) ?? [.failed, .unreachable]
        if select.isEmpty {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [CodingKeys.select],
                    debugDescription: "select names at least one result: ok, changed, failed, unreachable, skipped"))
        }
    }
}
