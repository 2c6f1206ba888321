/// The settings of a rollout, as given when a cursor is made (`POST /api/v1/cursors`).
public struct CursorSettings: Codable, Sendable, Hashable {
    /// The pool whose current revision the cursor pins.
    public var pool: String
    /// An Ansible `--limit` pattern selecting the hosts of the pool; `nil` for all.
    public var limit: String?
    /// The order hosts are handed out in.
    public var order: HostOrder
    /// The seed of the `shuffle` order; the same seed gives the same order everywhere.
    public var seed: String?
    /// Hosts per batch, as Ansible `serial`.
    public var batchSize: BatchSize
    /// How long a claim holds its batch before it is handed out again (heartbeat extends it).
    public var leaseSeconds: Int
    /// How many batches may be out at once; 1 hands them out strictly one after another.
    public var maxInFlight: Int
    /// Whether consumers complete batches themselves or their next claim does.
    public var ack: AckMode
    /// Halt when a batch's failed and unreachable hosts exceed this share, as Ansible's
    /// `max_fail_percentage` (0 halts on the first failure).
    public var maxFailPercentage: Double?
    /// Halt when the rollout's failed and unreachable hosts exceed this count.
    public var maxFailedHosts: Int?
    /// Pause after these batch numbers complete, e.g. `[1]` for a canary.
    public var pauseAfter: [Int]
    /// After a batch completes, no new batch is leased for this long (a bake time), so a
    /// problem the batch caused can show before the next one starts.
    public var bakeSeconds: Int?
    /// Ordered host patterns (`["canary", "dc1", "dc2:!dc2_db"]`): the plan goes tier by tier,
    /// a host in the first tier that matches it, hosts in none last; a batch never spans two
    /// tiers, and a tier's first batch waits until every batch of the tier before completed.
    public var tiers: [String]
    /// Pause when a tier's last batch completes, before the next tier starts.
    public var pauseBetweenTiers: Bool
    /// Whether a halt (a threshold or a gate) also cancels the AWX job `drive` follows, as an
    /// abort always does.
    public var cancelOnHalt: Bool
    /// Checks that must pass before each new batch after the first (after the bake time).
    public var gates: [GateSpec]
    /// When new batches may start; none means at any time.
    public var windows: [WeeklyWindow]
    /// When new batches may not start; a freeze beats a window.
    public var freezes: [Freeze]
    /// No new batch when less than this is left of the window (or before the next freeze).
    public var minWindowLeftSeconds: Int?

    public static let defaultLeaseSeconds = 3600

    public init(
        pool: String, limit: String? = nil, order: HostOrder = .inventory, seed: String? = nil,
        batchSize: BatchSize, leaseSeconds: Int = CursorSettings.defaultLeaseSeconds, maxInFlight: Int = 1,
        ack: AckMode = .explicit, maxFailPercentage: Double? = nil, maxFailedHosts: Int? = nil, pauseAfter: [Int] = [],
        bakeSeconds: Int? = nil, tiers: [String] = [], pauseBetweenTiers: Bool = false, cancelOnHalt: Bool = false,
        gates: [GateSpec] = [], windows: [WeeklyWindow] = [], freezes: [Freeze] = [], minWindowLeftSeconds: Int? = nil
    ) {
        self.pool = pool
        self.limit = limit
        self.order = order
        self.seed = seed
        self.batchSize = batchSize
        self.leaseSeconds = leaseSeconds
        self.maxInFlight = maxInFlight
        self.ack = ack
        self.maxFailPercentage = maxFailPercentage
        self.maxFailedHosts = maxFailedHosts
        self.pauseAfter = pauseAfter
        self.bakeSeconds = bakeSeconds
        self.tiers = tiers
        self.pauseBetweenTiers = pauseBetweenTiers
        self.cancelOnHalt = cancelOnHalt
        self.gates = gates
        self.windows = windows
        self.freezes = freezes
        self.minWindowLeftSeconds = minWindowLeftSeconds
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pool, limit, order, seed, ack
        case batchSize = "batch_size"
        case leaseSeconds = "lease_seconds"
        case maxInFlight = "max_in_flight"
        case maxFailPercentage = "max_fail_percentage"
        case maxFailedHosts = "max_failed_hosts"
        case pauseAfter = "pause_after"
        case bakeSeconds = "bake_seconds"
        case tiers
        case pauseBetweenTiers = "pause_between_tiers"
        case cancelOnHalt = "cancel_on_halt"
        case gates, windows, freezes
        case minWindowLeftSeconds = "min_window_left_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pool = try c.decode(String.self, forKey: .pool)
        limit = try c.decodeIfPresent(String.self, forKey: .limit)
        order = try c.decodeIfPresent(HostOrder.self, forKey: .order) ?? .inventory
        seed = try c.decodeIfPresent(String.self, forKey: .seed)
        batchSize = try c.decode(BatchSize.self, forKey: .batchSize)
        leaseSeconds = try c.decodeIfPresent(Int.self, forKey: .leaseSeconds) ?? Self.defaultLeaseSeconds
        maxInFlight = try c.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? 1
        ack = try c.decodeIfPresent(AckMode.self, forKey: .ack) ?? .explicit
        maxFailPercentage = try c.decodeIfPresent(Double.self, forKey: .maxFailPercentage)
        maxFailedHosts = try c.decodeIfPresent(Int.self, forKey: .maxFailedHosts)
        pauseAfter = try c.decodeIfPresent([Int].self, forKey: .pauseAfter) ?? []
        bakeSeconds = try c.decodeIfPresent(Int.self, forKey: .bakeSeconds)
        tiers = try c.decodeIfPresent([String].self, forKey: .tiers) ?? []
        pauseBetweenTiers = try c.decodeIfPresent(Bool.self, forKey: .pauseBetweenTiers) ?? false
        cancelOnHalt = try c.decodeIfPresent(Bool.self, forKey: .cancelOnHalt) ?? false
        gates = try c.decodeIfPresent([GateSpec].self, forKey: .gates) ?? []
        windows = try c.decodeIfPresent([WeeklyWindow].self, forKey: .windows) ?? []
        freezes = try c.decodeIfPresent([Freeze].self, forKey: .freezes) ?? []
        minWindowLeftSeconds = try c.decodeIfPresent(Int.self, forKey: .minWindowLeftSeconds)
    }

    /// What is wrong with these settings, or `nil` when they can be used.
    public var problem: String? {
        if let p = WireLimits.check("lease_seconds", leaseSeconds, WireLimits.leaseSeconds) { return p }
        if let p = WireLimits.check("max_in_flight", maxInFlight, WireLimits.maxInFlight) { return p }
        if let p = Self.problem(of: batchSize) { return p }
        if let p = maxFailPercentage, !(0...100).contains(p) {
            return "max_fail_percentage must be in 0...100, got \(p)"
        }
        if let m = maxFailedHosts, let p = WireLimits.check("max_failed_hosts", m, WireLimits.maxFailedHosts) {
            return p
        }
        if pauseAfter.count > WireLimits.listItems.upperBound {
            return
                "pause_after may hold at most \(WireLimits.listItems.upperBound) batch numbers, got \(pauseAfter.count)"
        }
        if let bad = pauseAfter.first(where: { !WireLimits.batchNumber.contains($0) }) {
            return
                "pause_after holds batch numbers: \(WireLimits.outOfRange("pause_after", bad, WireLimits.batchNumber))"
        }
        if let b = bakeSeconds, let p = WireLimits.check("bake_seconds", b, WireLimits.bakeSeconds) { return p }
        if tiers.count > WireLimits.tiers.upperBound {
            return "tiers may hold at most \(WireLimits.tiers.upperBound) patterns, got \(tiers.count)"
        }
        if let i = tiers.firstIndex(where: \.isEmpty) {
            return "tiers[\(i)] is empty; give a host pattern such as canary or dc1:!dc1_db"
        }
        if let p = GateSpec.problem(of: gates) { return p }
        if let p = WireSchedule.problem(windows: windows, freezes: freezes) { return p }
        if let m = minWindowLeftSeconds,
            let p = WireLimits.check("min_window_left_seconds", m, WireLimits.minWindowLeftSeconds)
        {
            return p
        }
        if order == .shuffle && seed == nil {
            return "order shuffle needs a seed, so that a resumed rollout sees the same order"
        }
        return nil
    }

    /// The API's bounds on a batch size, narrower than Ansible's `serial` (which takes 150%).
    static func problem(of size: BatchSize) -> String? {
        if size.items.count > WireLimits.listItems.upperBound {
            return "batch_size may have at most \(WireLimits.listItems.upperBound) items, got \(size.items.count)"
        }
        for item in size.items {
            switch item {
            case .count(let n) where !WireLimits.batchSizeHosts.contains(n):
                return "batch_size items (hosts) \(WireLimits.mustBeIn(WireLimits.batchSizeHosts, got: n))"
            case .percent(let p) where !WireLimits.batchSizePercent.contains(p):
                return "batch_size percentages \(WireLimits.mustBeIn(WireLimits.batchSizePercent, got: p))%"
            default: continue
            }
        }
        return nil
    }

    /// The names of the settings, as a create request or a cursor shows them.
    public static let fieldNames = CodingKeys.allCases.map(\.rawValue)
}

/// `POST /api/v1/cursors`: a new cursor's name and settings.
public struct CursorCreateRequest: Codable, Sendable, Hashable {
    public var name: String
    public var settings: CursorSettings

    public init(name: String, settings: CursorSettings) {
        self.name = name
        self.settings = settings
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(["name"] + CursorSettings.fieldNames)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.decode(String.self, forKey: AnyCodingKey("name"))
        settings = try CursorSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(name, forKey: AnyCodingKey("name"))
        try settings.encode(to: encoder)
    }
}

/// How far a rollout has come.
public struct CursorProgress: Codable, Sendable, Hashable {
    public var totalHosts: Int
    public var hostsDone: Int
    public var hostsOk: Int
    public var hostsChanged: Int
    public var hostsFailed: Int
    public var hostsUnreachable: Int
    public var hostsSkipped: Int
    public var batchesTotal: Int
    public var batchesCompleted: Int
    public var batchesInFlight: Int

    public init(
        totalHosts: Int = 0, hostsDone: Int = 0, hostsOk: Int = 0, hostsChanged: Int = 0, hostsFailed: Int = 0,
        hostsUnreachable: Int = 0, hostsSkipped: Int = 0, batchesTotal: Int = 0, batchesCompleted: Int = 0,
        batchesInFlight: Int = 0
    ) {
        self.totalHosts = totalHosts
        self.hostsDone = hostsDone
        self.hostsOk = hostsOk
        self.hostsChanged = hostsChanged
        self.hostsFailed = hostsFailed
        self.hostsUnreachable = hostsUnreachable
        self.hostsSkipped = hostsSkipped
        self.batchesTotal = batchesTotal
        self.batchesCompleted = batchesCompleted
        self.batchesInFlight = batchesInFlight
    }

    enum CodingKeys: String, CodingKey {
        case totalHosts = "total_hosts"
        case hostsDone = "hosts_done"
        case hostsOk = "hosts_ok"
        case hostsChanged = "hosts_changed"
        case hostsFailed = "hosts_failed"
        case hostsUnreachable = "hosts_unreachable"
        case hostsSkipped = "hosts_skipped"
        case batchesTotal = "batches_total"
        case batchesCompleted = "batches_completed"
        case batchesInFlight = "batches_in_flight"
    }
}

/// A cursor as the API shows it (`GET /api/v1/cursors/NAME`).
public struct CursorInfo: Codable, Sendable, Hashable {
    public var name: String
    public var poolRevision: Int
    public var settings: CursorSettings
    public var state: CursorState
    /// Why the cursor is paused, halted or aborted, in words for people.
    public var stateReason: String?
    /// The cursor this one retries, for retry cursors.
    public var retryOf: String?
    public var hasMore: Bool
    public var progress: CursorProgress
    public var createdAt: String
    public var updatedAt: String

    public init(
        name: String, poolRevision: Int, settings: CursorSettings, state: CursorState, stateReason: String?,
        retryOf: String?, hasMore: Bool, progress: CursorProgress, createdAt: String, updatedAt: String
    ) {
        self.name = name
        self.poolRevision = poolRevision
        self.settings = settings
        self.state = state
        self.stateReason = stateReason
        self.retryOf = retryOf
        self.hasMore = hasMore
        self.progress = progress
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, state, progress
        case poolRevision = "pool_revision"
        case stateReason = "state_reason"
        case retryOf = "retry_of"
        case hasMore = "has_more"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        poolRevision = try c.decode(Int.self, forKey: .poolRevision)
        settings = try CursorSettings(from: decoder)
        state = try c.decode(CursorState.self, forKey: .state)
        stateReason = try c.decodeIfPresent(String.self, forKey: .stateReason)
        retryOf = try c.decodeIfPresent(String.self, forKey: .retryOf)
        hasMore = try c.decode(Bool.self, forKey: .hasMore)
        progress = try c.decode(CursorProgress.self, forKey: .progress)
        createdAt = try c.decode(String.self, forKey: .createdAt)
        updatedAt = try c.decode(String.self, forKey: .updatedAt)
    }

    // Settings sit flat beside the state, as they were given, so a cursor reads like its create request.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try settings.encode(to: encoder)
        try c.encode(poolRevision, forKey: .poolRevision)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(stateReason, forKey: .stateReason)
        try c.encodeIfPresent(retryOf, forKey: .retryOf)
        try c.encode(hasMore, forKey: .hasMore)
        try c.encode(progress, forKey: .progress)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
