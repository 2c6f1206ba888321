/// One batch of a plan preview: made already (with its state) or still to be cut with the
/// current settings.
public struct PlannedBatch: Codable, Sendable, Hashable {
    public var batch: Int
    /// The tier, 1-based, in the order of the cursor's `tiers`; one past them for hosts in no tier.
    public var tier: Int
    /// The tier's pattern; nil for the hosts no tier matched (and for a plan without tiers).
    public var tierPattern: String?
    public var hostCount: Int
    /// The batch's first hosts (at most five), in plan order.
    public var firstHosts: [String]
    /// `planned` for a batch not yet handed out, else the batch's state.
    public var state: String

    public init(batch: Int, tier: Int, tierPattern: String?, hostCount: Int, firstHosts: [String], state: String) {
        self.batch = batch
        self.tier = tier
        self.tierPattern = tierPattern
        self.hostCount = hostCount
        self.firstHosts = firstHosts
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case batch, tier, state
        case tierPattern = "tier_pattern"
        case hostCount = "host_count"
        case firstHosts = "first_hosts"
    }

    /// How many hosts a preview names per batch.
    public static let firstHostsShown = 5
}

/// A tier of a plan preview and its hosts.
public struct PlannedTier: Codable, Sendable, Hashable {
    public var tier: Int
    public var pattern: String?
    public var hosts: Int

    public init(tier: Int, pattern: String?, hosts: Int) {
        self.tier = tier
        self.pattern = pattern
        self.hosts = hosts
    }
}

/// `GET /api/v1/cursors/NAME/plan` and a dry run (`POST /api/v1/cursors?dry_run=true`): a page
/// of the batches a rollout has and will have, before anything runs.
public struct PlanPreview: Codable, Sendable, Hashable {
    public var items: [PlannedBatch]
    /// Batches in all.
    public var total: Int
    public var limit: Int
    public var offset: Int
    /// Hosts in the rollout.
    public var hosts: Int
    public var tiers: [PlannedTier]
    /// What planning warned about, such as a tier that matches no host.
    public var warnings: [String]

    public init(
        items: [PlannedBatch], total: Int, limit: Int, offset: Int, hosts: Int, tiers: [PlannedTier],
        warnings: [String]
    ) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
        self.hosts = hosts
        self.tiers = tiers
        self.warnings = warnings
    }
}
