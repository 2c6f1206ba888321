import OrderedCollections

/// `POST /api/v1/cursors/NAME/claim`: who asks for a batch.
public struct ClaimRequest: Codable, Sendable, Hashable {
    /// Who holds the batch: an AWX inventory source, a laptop (`user@host`), a pipeline.
    public var consumer: String
    /// One attempt of that consumer (an AWX inventory update id): asking again with the same
    /// key returns the same batch, whatever happened since.
    public var claimKey: String?

    public init(consumer: String, claimKey: String? = nil) {
        self.consumer = consumer
        self.claimKey = claimKey
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case consumer
        case claimKey = "claim_key"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let consumer = try c.decodeIfPresent(String.self, forKey: .consumer, length: WireLimits.identityLength)
        else {
            throw DecodingError.keyNotFound(
                CodingKeys.consumer, .init(codingPath: decoder.codingPath, debugDescription: "consumer is required"))
        }
        self.consumer = consumer
        claimKey = try c.decodeIfPresent(String.self, forKey: .claimKey, length: WireLimits.identityLength)
    }
}

/// A group as a batch's inventory shows it: only the batch's hosts, and only the child groups
/// that lead to them.
public struct BatchGroup: Codable, Sendable, Hashable {
    public var hosts: [String]
    public var children: [String]
    public var vars: JSONObject

    public init(hosts: [String] = [], children: [String] = [], vars: JSONObject = [:]) {
        self.hosts = hosts
        self.children = children
        self.vars = vars
    }

    enum CodingKeys: String, CodingKey { case hosts, children, vars }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hosts = try c.decodeIfPresent([String].self, forKey: .hosts) ?? []
        children = try c.decodeIfPresent([String].self, forKey: .children) ?? []
        vars = try c.decodeObject(forKey: .vars)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hosts, forKey: .hosts)
        try c.encode(children, forKey: .children)
        try c.encodeObject(vars, forKey: .vars)
    }
}

/// One batch of a cursor with everything an inventory script prints for it.
public struct BatchInfo: Codable, Sendable, Hashable {
    /// The batch number, from 1 (the seed API's `batch_id`).
    public var batchId: Int
    public var state: BatchState
    /// Which hand-out of this batch this is, from 1; more after expiries or releases.
    public var attempt: Int
    public var consumer: String?
    public var claimKey: String?
    /// When the lease ends unless it is extended (RFC 3339, UTC).
    public var leaseExpiresAt: String?
    /// Set by the claimer on its attempt, e.g. an AWX job id, so a restarted driver finds it.
    public var externalRef: String?
    /// The batch's hosts, in hand-out order.
    public var hosts: [String]
    /// Each batch host's own vars (hosts without vars are left out).
    public var hostvars: [String: JSONObject]?
    /// The groups of the batch's hosts, ancestors included, with their vars.
    public var groups: [String: BatchGroup]?
    /// Per-host results once completed.
    public var results: [String: HostStatus]?
    public var completedAt: String?

    public init(
        batchId: Int, state: BatchState, attempt: Int, consumer: String?, claimKey: String?, leaseExpiresAt: String?,
        externalRef: String? = nil, hosts: [String], hostvars: [String: JSONObject]? = nil,
        groups: [String: BatchGroup]? = nil, results: [String: HostStatus]? = nil, completedAt: String? = nil
    ) {
        self.batchId = batchId
        self.state = state
        self.attempt = attempt
        self.consumer = consumer
        self.claimKey = claimKey
        self.leaseExpiresAt = leaseExpiresAt
        self.externalRef = externalRef
        self.hosts = hosts
        self.hostvars = hostvars
        self.groups = groups
        self.results = results
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case state, attempt, consumer, hosts, hostvars, groups, results
        case batchId = "batch_id"
        case claimKey = "claim_key"
        case leaseExpiresAt = "lease_expires_at"
        case externalRef = "external_ref"
        case completedAt = "completed_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batchId = try c.decode(Int.self, forKey: .batchId)
        state = try c.decode(BatchState.self, forKey: .state)
        attempt = try c.decode(Int.self, forKey: .attempt)
        consumer = try c.decodeIfPresent(String.self, forKey: .consumer)
        claimKey = try c.decodeIfPresent(String.self, forKey: .claimKey)
        leaseExpiresAt = try c.decodeIfPresent(String.self, forKey: .leaseExpiresAt)
        externalRef = try c.decodeIfPresent(String.self, forKey: .externalRef)
        hosts = try c.decode([String].self, forKey: .hosts)
        hostvars = try c.decodeObjectsIfPresent(forKey: .hostvars)
        groups = try c.decodeIfPresent([String: BatchGroup].self, forKey: .groups)
        results = try c.decodeIfPresent([String: HostStatus].self, forKey: .results)
        completedAt = try c.decodeIfPresent(String.self, forKey: .completedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(batchId, forKey: .batchId)
        try c.encode(state, forKey: .state)
        try c.encode(attempt, forKey: .attempt)
        try c.encodeIfPresent(consumer, forKey: .consumer)
        try c.encodeIfPresent(claimKey, forKey: .claimKey)
        try c.encodeIfPresent(leaseExpiresAt, forKey: .leaseExpiresAt)
        try c.encodeIfPresent(externalRef, forKey: .externalRef)
        try c.encode(hosts, forKey: .hosts)
        try c.encodeObjectsIfPresent(hostvars, forKey: .hostvars)
        try c.encodeIfPresent(groups, forKey: .groups)
        try c.encodeIfPresent(results, forKey: .results)
        try c.encodeIfPresent(completedAt, forKey: .completedAt)
    }
}

/// The answer to a claim: the batch (or none, when the rollout is done) and the rollout's state.
public struct ClaimResponse: Codable, Sendable, Hashable {
    public var cursor: String
    public var cursorState: CursorState
    /// True while any host of the cursor is in no completed batch.
    public var hasMore: Bool
    /// `nil` only when the rollout is done.
    public var batch: BatchInfo?
    public var progress: CursorProgress

    public init(cursor: String, cursorState: CursorState, hasMore: Bool, batch: BatchInfo?, progress: CursorProgress) {
        self.cursor = cursor
        self.cursorState = cursorState
        self.hasMore = hasMore
        self.batch = batch
        self.progress = progress
    }

    enum CodingKeys: String, CodingKey {
        case cursor, batch, progress
        case cursorState = "cursor_state"
        case hasMore = "has_more"
    }
}

/// A host's counters from a play: AWX's (`/api/v2/jobs/N/job_host_summaries/`) or Ansible's
/// own stats (`unreachable` is AWX's `dark`), mapped onto a status. Counters it does not know
/// are refused, so that a misspelt one never turns a host ok.
public struct HostSummary: Codable, Sendable, Hashable {
    public var ok: Int
    public var changed: Int
    public var failures: Int
    public var dark: Int
    public var skipped: Int
    /// Tasks whose failure a `rescue` section handled: the host is not failed.
    public var rescued: Int
    /// Failed tasks with `ignore_errors`: the host is not failed.
    public var ignored: Int

    public init(
        ok: Int = 0, changed: Int = 0, failures: Int = 0, dark: Int = 0, skipped: Int = 0, rescued: Int = 0,
        ignored: Int = 0
    ) {
        self.ok = ok
        self.changed = changed
        self.failures = failures
        self.dark = dark
        self.skipped = skipped
        self.rescued = rescued
        self.ignored = ignored
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case ok, changed, failures, dark, skipped, rescued, ignored
        /// Ansible's stats name for `dark`.
        case unreachable
        /// AWX's count of hosts processed (always 1 per host): read and not used.
        case processed
    }

    /// Every counter name a summary may hold.
    public static let counterNames = CodingKeys.allCases.map(\.rawValue)

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(Self.counterNames)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func counter(_ key: CodingKeys) throws -> Int {
            try c.decodeIfPresent(Int.self, forKey: key, in: WireLimits.summaryCounter) ?? 0
        }
        ok = try counter(.ok)
        changed = try counter(.changed)
        failures = try counter(.failures)
        dark = try counter(.dark) + counter(.unreachable)
        skipped = try counter(.skipped)
        rescued = try counter(.rescued)
        ignored = try counter(.ignored)
        _ = try counter(.processed)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ok, forKey: .ok)
        try c.encode(changed, forKey: .changed)
        try c.encode(failures, forKey: .failures)
        try c.encode(dark, forKey: .dark)
        try c.encode(skipped, forKey: .skipped)
        if rescued > 0 { try c.encode(rescued, forKey: .rescued) }
        if ignored > 0 { try c.encode(ignored, forKey: .ignored) }
    }

    /// Unreachable wins over failed, failed over changed, as AWX's own `failed` flag and
    /// Ansible's recap read them; a host with only skips was skipped. Rescued and ignored
    /// failures leave the host ok, as in Ansible's recap.
    public var status: HostStatus {
        if dark > 0 { return .unreachable }
        if failures > 0 { return .failed }
        if changed > 0 { return .changed }
        if ok == 0 && skipped > 0 && rescued == 0 && ignored == 0 { return .skipped }
        return .ok
    }
}

/// Which attempt of a batch a completion, heartbeat or release speaks for: its consumer and/or
/// claim key, checked against the attempt that holds the lease now; or `force`, an admin
/// acting for the holder, which is recorded on the attempt.
public protocol AttemptClaim: Sendable {
    var consumer: String? { get }
    var claimKey: String? { get }
    var force: Bool { get }
}

/// `POST /api/v1/cursors/NAME/batches/K/complete`: per-host results. Hosts not named count as ok.
public struct CompleteRequest: Codable, Sendable, Hashable, AttemptClaim {
    public var results: [String: HostStatus]
    /// AWX host summaries or Ansible stats, as an alternative to (or beside) `results`.
    public var hostSummaries: [String: HostSummary]?
    /// The consumer that holds the batch.
    public var consumer: String?
    /// The attempt being completed (the claim key it was claimed with).
    public var claimKey: String?
    /// An admin completes the batch for its holder (admin scope; recorded on the attempt).
    public var force: Bool

    public init(
        results: [String: HostStatus] = [:], hostSummaries: [String: HostSummary]? = nil, consumer: String? = nil,
        claimKey: String? = nil, force: Bool = false
    ) {
        self.results = results
        self.hostSummaries = hostSummaries
        self.consumer = consumer
        self.claimKey = claimKey
        self.force = force
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        results = try c.decodeIfPresent([String: HostStatus].self, forKey: .results) ?? [:]
        hostSummaries = try c.decodeIfPresent([String: HostSummary].self, forKey: .hostSummaries)
        consumer = try c.decodeIfPresent(String.self, forKey: .consumer, length: WireLimits.identityLength)
        claimKey = try c.decodeIfPresent(String.self, forKey: .claimKey, length: WireLimits.identityLength)
        force = try c.decodeIfPresent(Bool.self, forKey: .force) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(results, forKey: .results)
        try c.encodeIfPresent(hostSummaries, forKey: .hostSummaries)
        try c.encodeIfPresent(consumer, forKey: .consumer)
        try c.encodeIfPresent(claimKey, forKey: .claimKey)
        if force { try c.encode(force, forKey: .force) }
    }

    /// Every named host's status: explicit results win over summaries.
    public var statuses: [String: HostStatus] {
        var merged: [String: HostStatus] = [:]
        for (host, summary) in hostSummaries ?? [:] { merged[host] = summary.status }
        for (host, status) in results { merged[host] = status }
        return merged
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case results, consumer, force
        case hostSummaries = "host_summaries"
        case claimKey = "claim_key"
    }
}

/// `POST .../heartbeat` and `POST .../release`: which attempt the caller holds.
public struct LeaseRequest: Codable, Sendable, Hashable, AttemptClaim {
    public var consumer: String?
    public var claimKey: String?
    /// For heartbeat: the new lease length; the cursor's `lease_seconds` when unset.
    public var leaseSeconds: Int?
    /// An opaque reference the holder records on its attempt (e.g. an AWX job id).
    public var externalRef: String?
    /// An admin acts for the holder (admin scope; recorded on the attempt).
    public var force: Bool
    /// For release: why the batch is given back (e.g. the AWX job that was canceled), kept in
    /// the cursor's audit trail.
    public var reason: String?

    public init(
        consumer: String? = nil, claimKey: String? = nil, leaseSeconds: Int? = nil, externalRef: String? = nil,
        force: Bool = false, reason: String? = nil
    ) {
        self.consumer = consumer
        self.claimKey = claimKey
        self.leaseSeconds = leaseSeconds
        self.externalRef = externalRef
        self.force = force
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        consumer = try c.decodeIfPresent(String.self, forKey: .consumer, length: WireLimits.identityLength)
        claimKey = try c.decodeIfPresent(String.self, forKey: .claimKey, length: WireLimits.identityLength)
        leaseSeconds = try c.decodeIfPresent(Int.self, forKey: .leaseSeconds, in: WireLimits.leaseSeconds)
        externalRef = try c.decodeIfPresent(String.self, forKey: .externalRef, length: WireLimits.externalRefLength)
        force = try c.decodeIfPresent(Bool.self, forKey: .force) ?? false
        reason = try c.decodeIfPresent(String.self, forKey: .reason, length: WireLimits.reasonLength)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(consumer, forKey: .consumer)
        try c.encodeIfPresent(claimKey, forKey: .claimKey)
        try c.encodeIfPresent(leaseSeconds, forKey: .leaseSeconds)
        try c.encodeIfPresent(externalRef, forKey: .externalRef)
        if force { try c.encode(force, forKey: .force) }
        try c.encodeIfPresent(reason, forKey: .reason)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case consumer, force, reason
        case claimKey = "claim_key"
        case leaseSeconds = "lease_seconds"
        case externalRef = "external_ref"
    }
}

/// The seed API's answer (`GET /api/nextBatch`), kept exactly for existing scripts.
public struct NextBatchResponse: Codable, Sendable, Hashable {
    public var batchId: Int
    public var hosts: [String]
    public var hasMore: Bool

    public init(batchId: Int, hosts: [String], hasMore: Bool) {
        self.batchId = batchId
        self.hosts = hosts
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case hosts
        case batchId = "batch_id"
        case hasMore = "has_more"
    }
}
