import Foundation
import InventoryModel
import Logging

/// Cursors: rollouts over a pinned pool revision, and their batches.
public struct CursorService: Sendable {
    let store: any Store
    let cache: RevisionCache
    let pools: PoolService
    /// Where each audit event goes as a log line once its transaction committed.
    let eventLogger: Logger
    /// Checks health gates outside the claims' transactions.
    let gateRunner: GateRunner
    /// This process among the service's replicas, as the runner of the gate checks it took on.
    let replica = UUID().uuidString
    /// Inventories of recently claimed batches (about 64 MB), shared by their re-reads.
    let inventories = BoundedCache<BatchInventoryKey, BatchInventory>(capacity: 64 << 20)
    /// Cursor answers reused while nothing changed (SQLite only).
    let cursorInfos = CursorInfoCache()

    /// Makes a cursor: plans the rollout once (limit, order, seed) over the pool's current
    /// revision and stores the plan, so every later claim reads a slice of it.
    public func create(_ request: CursorCreateRequest, actor: String? = nil) async throws -> CursorInfo {
        try Names.check(request.name, kind: "cursor")
        let (plan, revisionId, _) = try await self.plan(of: request.settings)
        return try await insert(
            name: request.name, settings: request.settings, revisionId: revisionId, plan: plan, retryOf: nil,
            actor: actor)
    }

    /// Plans a rollout over the pool's current revision without making anything: checks the
    /// settings, then limit, order, seed, tiers and batch size as a new cursor would have them.
    func plan(of settings: CursorSettings) async throws -> (RolloutPlan, revisionId: Int, inventory: Inventory) {
        if let problem = settings.problem { throw EngineError.invalid(problem) }
        try checkRolloutSafety(settings)
        func pattern(_ field: String, _ text: String) throws -> HostPattern {
            do { return try HostPattern(text) } catch { throw EngineError.invalid("\(field): \(error)") }
        }
        let limit = try settings.limit.map { try pattern("limit", $0) }
        let tiers = try settings.tiers.enumerated().map { try pattern("tiers[\($0.offset)]", $0.element) }
        let revisionId = try await store.read { tx in try pools.currentRevisionId(tx, pool: settings.pool) }
        let inventory = try await pools.loadInventory(revisionId: revisionId)
        let plan: RolloutPlan
        do {
            plan = try RolloutPlan(
                inventory: inventory, limit: limit, order: settings.order, seed: settings.seed ?? "", tiers: tiers,
                batchSize: settings.batchSize)
        } catch { throw EngineError.invalid("\(error)") }
        guard !plan.hostIndices.isEmpty else {
            throw EngineError.invalid("limit \(settings.limit ?? "all") selects no host of pool \(settings.pool)")
        }
        return (plan, revisionId, inventory)
    }

    func insert(
        name: String, settings: CursorSettings, revisionId: Int, plan: RolloutPlan, retryOf: String?, actor: String?
    ) async throws -> CursorInfo {
        try await insert(
            name: name, settings: settings, revisionId: revisionId, hostIndices: plan.hostIndices,
            tierEnds: plan.tierEnds, retryOf: retryOf, actor: actor)
    }

    /// Stores a new cursor and its plan, and writes its `created` event.
    func insert(
        name: String, settings: CursorSettings, revisionId: Int, hostIndices: [Int], tierEnds: [Int],
        retryOf: String?, actor: String?
    ) async throws -> CursorInfo {
        let settingsJSON = try Wire.encodeString(settings)
        // Without tiers, NULL: one tier that ends with the plan.
        let tierText =
            tierEnds.count > 1
            ? JSONWriter(indent: nil, sortKeys: false).string(.array(tierEnds.map { .int($0) })) : nil
        return try await recordingWrite { tx, log in
            if try tx.int("SELECT id FROM cursors WHERE name = ?", [.text(name)]) != nil {
                throw EngineError.conflict(
                    "cursor_exists", "a cursor named \(name) exists already; pick another name or delete it")
            }
            let clock = try tx.now()
            let now = RFC3339.string(from: clock)
            guard let poolId = try tx.int("SELECT pool_id FROM pool_revisions WHERE id = ?", [SQLValue(revisionId)])
            else {
                throw EngineError.notFound("pool", settings.pool)
            }
            try tx.execute(
                """
                INSERT INTO cursors (name, pool_id, revision_id, settings, state, retry_of, total_hosts,
                  next_position, next_batch, tier_ends, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'active', ?, ?, 0, 1, ?, ?, ?)
                """,
                [
                    .text(name), SQLValue(poolId), SQLValue(revisionId), .text(settingsJSON), SQLValue(retryOf),
                    SQLValue(hostIndices.count), SQLValue(tierText), .text(now), .text(now),
                ])
            var c = try CursorRow.load(tx, name: name)
            var details: JSONObject = ["hosts": .int(hostIndices.count), "batches": .int(c.batchesTotal)]
            if let retryOf { details["retry_of"] = .string(retryOf) }
            try log.record(
                .created, &c, at: clock.timeIntervalSince1970, actor: actor, details: details, tx: tx)
            try c.save(tx, now: now)
            try tx.insertMany(
                into: "cursor_plan", columns: ["cursor_id", "position", "host_idx"],
                rows: hostIndices.enumerated().map { [SQLValue(c.id), SQLValue($0.offset), SQLValue($0.element)] })
            return c.info(inFlight: 0)
        }
    }

    /// One cursor, or 404.
    public func cursor(_ name: String) async throws -> CursorInfo {
        let version = store.snapshotVersion()
        // The store's clock, not this process's: a lease ends by it (and a test's clock is manual).
        let asked = store.clock.now().timeIntervalSince1970
        if let version, let hit = cursorInfos.info(name, version: version, now: asked) { return hit }
        let (info, validUntil) = try await store.read { tx in
            let (c, clock) = try CursorRow.loadWithClock(tx, name: name)
            let now = clock.timeIntervalSince1970
            // Batches in flight and the first of their leases to end, in one statement.
            let leases = try tx.row(
                """
                SELECT COUNT(*) AS in_flight, MIN(lease_expires_at) AS first_end FROM batches WHERE cursor_id = ?
                  AND state = 'leased' AND lease_expires_at > ?
                """, [SQLValue(c.id), .double(now)])
            return (c.info(inFlight: try leases?.int("in_flight") ?? 0), try leases?["first_end"].double ?? .infinity)
        }
        if let version { cursorInfos.remember(info, name: name, version: version, validUntil: validUntil) }
        return info
    }

    /// A page of cursors, by name, optionally of one state or pool.
    public func cursors(state: CursorState?, pool: String?, limit: Int, offset: Int) async throws -> Page<CursorInfo> {
        try await store.read { tx in
            var filter = "WHERE 1 = 1"
            var args: [SQLValue] = []
            if let state { filter += " AND c.state = ?"; args.append(.text(state.rawValue)) }
            if let pool { filter += " AND p.name = ?"; args.append(.text(pool)) }
            let total =
                try tx.int("SELECT COUNT(*) FROM cursors c JOIN pools p ON p.id = c.pool_id \(filter)", args) ?? 0
            let now = try tx.now().timeIntervalSince1970
            let rows = try tx.rows(
                "SELECT \(CursorRow.columns) FROM cursors c \(CursorRow.joins) \(filter) ORDER BY c.name LIMIT ? "
                    + "OFFSET ?",
                args + [SQLValue(limit), SQLValue(offset)])
            let items = try rows.map { row in
                let c = try CursorRow(row)
                return c.info(inFlight: try c.inFlight(tx, now: now))
            }
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }
}
