/// A pool as the API shows it (`GET /api/v1/pools/NAME`).
public struct PoolInfo: Codable, Sendable, Hashable {
    public var name: String
    /// The current revision, from 1; every import makes a new one.
    public var revision: Int
    public var hostCount: Int
    public var groupCount: Int
    /// The format the revision was imported from.
    public var format: InventoryFormat
    public var createdAt: String
    public var updatedAt: String

    public init(
        name: String, revision: Int, hostCount: Int, groupCount: Int, format: InventoryFormat, createdAt: String,
        updatedAt: String
    ) {
        self.name = name
        self.revision = revision
        self.hostCount = hostCount
        self.groupCount = groupCount
        self.format = format
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, revision, format
        case hostCount = "host_count"
        case groupCount = "group_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A host of a pool revision with its own vars and direct groups.
public struct PoolHost: Codable, Sendable, Hashable {
    public var name: String
    public var groups: [String]
    public var vars: JSONObject

    public init(name: String, groups: [String], vars: JSONObject) {
        self.name = name
        self.groups = groups
        self.vars = vars
    }

    enum CodingKeys: String, CodingKey { case name, groups, vars }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        groups = try c.decodeIfPresent([String].self, forKey: .groups) ?? []
        vars = try c.decodeObject(forKey: .vars)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(groups, forKey: .groups)
        try c.encodeObject(vars, forKey: .vars)
    }
}

/// A host of a cursor with its batch and result (`GET /api/v1/cursors/NAME/hosts`).
public struct CursorHost: Codable, Sendable, Hashable {
    public var name: String
    /// Its position in the cursor's plan, from 0.
    public var position: Int
    public var batchId: Int?
    public var status: HostStatus?

    public init(name: String, position: Int, batchId: Int?, status: HostStatus?) {
        self.name = name
        self.position = position
        self.batchId = batchId
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case name, position, status
        case batchId = "batch_id"
    }
}

/// A page of a list: `{"items": [...], "total": N, "limit": L, "offset": O}`.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }
}

extension Page: Equatable where Item: Equatable {}
extension Page: Hashable where Item: Hashable {}

/// An API error: `{"error": {"code": "cursor_paused", "message": "…"}}`.
public struct APIErrorBody: Codable, Sendable, Hashable, Error {
    public struct Detail: Codable, Sendable, Hashable {
        /// A stable, machine-readable code (`cursor_paused`, `not_found`, `invalid_inventory`, …).
        public var code: String
        /// What went wrong and what to do, for people.
        public var message: String
        /// Seconds after which asking again may succeed (`no_batch_free`, `not_ready`).
        public var retryAfterSeconds: Int?
        /// Facts for programs beside the message: `next_opening` of an `outside_window`,
        /// `waiting_for` (bake, tier, gates) of a `no_batch_free`, a halting gate's `evidence`.
        public var details: JSONObject?

        enum CodingKeys: String, CodingKey {
            case code, message, details
            case retryAfterSeconds = "retry_after_seconds"
        }

        public init(code: String, message: String, retryAfterSeconds: Int? = nil, details: JSONObject? = nil) {
            self.code = code
            self.message = message
            self.retryAfterSeconds = retryAfterSeconds
            self.details = details
        }

        // `details` as a JSON object (an OrderedDictionary alone would encode as a flat array).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            code = try c.decode(String.self, forKey: .code)
            message = try c.decode(String.self, forKey: .message)
            retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds)
            details = try c.decodeIfPresent(JSONValue.self, forKey: .details)?.objectValue
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
            try c.encodeIfPresent(retryAfterSeconds, forKey: .retryAfterSeconds)
            try c.encodeIfPresent(details.map(JSONValue.object), forKey: .details)
        }
    }

    public var error: Detail

    public init(code: String, message: String, retryAfterSeconds: Int? = nil, details: JSONObject? = nil) {
        self.error = Detail(code: code, message: message, retryAfterSeconds: retryAfterSeconds, details: details)
    }
}
