import Foundation
import InventoryModel

/// Cursors: rollouts over a pinned pool revision, and their batches.
public struct CursorService: Sendable {
    let store: any Store
    let cache: RevisionCache
    let pools: PoolService
    /// Inventories of recently claimed batches (about 64 MB), shared by their re-reads.
    let inventories = BoundedCache<BatchInventoryKey, BatchInventory>(capacity: 64 << 20)
    /// Cursor answers reused while nothing changed (SQLite only).
    let cursorInfos = CursorInfoCache()

    /// Makes a cursor: plans the rollout once (limit, order, seed) over the pool's current
    /// revision and stores the plan, so every later claim reads a slice of it.
    public func create(_ request: CursorCreateRequest) async throws -> CursorInfo {
        try Names.check(request.name, kind: "cursor")
        if let problem = request.settings.problem { throw EngineError.invalid(problem) }
        let limit: HostPattern?
        do { limit = try request.settings.limit.map { l throws(InventoryError) in try HostPattern(l) } } catch {
            throw EngineError.invalid("limit: \(error)")
        }
        let revisionId = try await store.read { tx in try pools.currentRevisionId(tx, pool: request.settings.pool) }
        let inventory = try await pools.loadInventory(revisionId: revisionId)
        let plan: RolloutPlan
        do {
            plan = try RolloutPlan(
                inventory: inventory, limit: limit, order: request.settings.order, seed: request.settings.seed ?? "",
                batchSize: request.settings.batchSize)
        } catch { throw EngineError.invalid("\(error)") }
        guard !plan.hostIndices.isEmpty else {
            throw EngineError.invalid(
                "limit \(request.settings.limit ?? "all") selects no host of pool \(request.settings.pool)")
        }
        return try await insert(
            name: request.name, settings: request.settings, revisionId: revisionId, hostIndices: plan.hostIndices,
            retryOf: nil)
    }

    private func insert(name: String, settings: CursorSettings, revisionId: Int, hostIndices: [Int], retryOf: String?)
        async throws -> CursorInfo
    {
        let settingsJSON = try Wire.encodeString(settings)
        return try await store.write { tx in
            if try tx.int("SELECT id FROM cursors WHERE name = ?", [.text(name)]) != nil {
                throw EngineError.conflict(
                    "cursor_exists", "a cursor named \(name) exists already; pick another name or delete it")
            }
            let now = RFC3339.string(from: try tx.now())
            guard let poolId = try tx.int("SELECT pool_id FROM pool_revisions WHERE id = ?", [SQLValue(revisionId)])
            else {
                throw EngineError.notFound("pool", settings.pool)
            }
            try tx.execute(
                """
                INSERT INTO cursors (name, pool_id, revision_id, settings, state, retry_of, total_hosts,
                  next_position, next_batch, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'active', ?, ?, 0, 1, ?, ?)
                """,
                [
                    .text(name), SQLValue(poolId), SQLValue(revisionId), .text(settingsJSON), SQLValue(retryOf),
                    SQLValue(hostIndices.count), .text(now), .text(now),
                ])
            let c = try CursorRow.load(tx, name: name)
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

    /// Applies a JSON Merge Patch (RFC 7396): `state` to pause, resume or abort, and the
    /// settings that only shape batches not yet handed out.
    public func patch(_ name: String, _ patch: JSONObject) async throws -> CursorInfo {
        let fixed = ["pool", "limit", "order", "seed"]
        if let key = patch.keys.first(where: fixed.contains) {
            throw EngineError.invalid(
                "\(key) is fixed when a cursor is made (its plan depends on it); make a new cursor instead")
        }
        let known: Set<String> = [
            "state", "state_reason", "batch_size", "lease_seconds", "max_in_flight", "ack", "max_fail_percentage",
            "max_failed_hosts", "pause_after",
        ]
        if let key = patch.keys.first(where: { !known.contains($0) }) {
            throw EngineError.invalid(
                "unknown cursor field \(key); patchable: \(known.sorted().joined(separator: ", "))")
        }
        return try await store.write { tx in
            var (c, nowDate) = try CursorRow.lockForChange(tx, name: name)
            var settings = JSONObject()
            if case .object(let o) = try JSONParser.parse(try Wire.encodeString(c.settings)) { settings = o }
            for (key, value) in patch where key != "state" && key != "state_reason" {
                if value == .null { settings.removeValue(forKey: key) } else { settings[key] = value }
            }
            let text = JSONWriter(indent: nil, sortKeys: false).string(.object(settings))
            do {
                c.settings = try Wire.decoder.decode(CursorSettings.self, from: Data(text.utf8))
            } catch {
                throw EngineError.invalid("the patched settings do not fit: \(DecodingMessage.describe(error))")
            }
            if let problem = c.settings.problem { throw EngineError.invalid(problem) }
            if let state = patch["state"] {
                guard case .string(let s) = state, let target = CursorState(rawValue: s),
                    [.active, .paused, .aborted].contains(target)
                else {
                    throw EngineError.invalid("state can be set to active (resume), paused or aborted")
                }
                try Self.transition(&c, to: target)
                try Self.explain(&c, patch["state_reason"], to: target)
            } else if let reason = patch["state_reason"], reason != .null {
                throw EngineError.invalid("state_reason goes with a state (paused or aborted)")
            }
            try c.save(tx, now: RFC3339.string(from: nowDate))
            return c.info(inFlight: try c.inFlight(tx, now: nowDate.timeIntervalSince1970))
        }
    }

    static func transition(_ c: inout CursorRow, to target: CursorState) throws {
        if c.state == target { return }
        if c.state.isFinished {
            throw EngineError.conflict(
                "cursor_\(c.state.rawValue)",
                "cursor \(c.name) is \(c.state.rawValue); it cannot become \(target.rawValue)")
        }
        switch target {
        case .active:
            c.state = c.hasMore ? .active : .done
            c.stateReason = nil
        case .paused:
            guard c.state == .active else {
                throw EngineError.conflict(
                    "cursor_\(c.state.rawValue)",
                    "cursor \(c.name) is \(c.state.rawValue); only an active cursor can be paused")
            }
            c.state = .paused
            c.stateReason = "paused by an operator"
        case .aborted:
            c.state = .aborted
            c.stateReason = "aborted by an operator"
        default: break
        }
    }

    /// A new cursor over the failed and unreachable hosts of `name`, on the same pool revision,
    /// in the old plan's order (or `order`, when given).
    public func retry(_ name: String, _ request: RetryRequest) async throws -> CursorInfo {
        try Names.check(request.name, kind: "cursor")
        let (old, hostIndices) = try await store.read { tx -> (CursorRow, [Int]) in
            let c = try CursorRow.load(tx, name: name)
            let hosts = try tx.rows(
                "SELECT host_idx FROM cursor_plan WHERE cursor_id = ? AND status IN ('failed', 'unreachable') ORDER "
                    + "BY position",
                [SQLValue(c.id)]
            ).map { row throws(SQLRowError) in try row.int("host_idx") }
            return (c, hosts)
        }
        guard !hostIndices.isEmpty else {
            throw EngineError.invalid("cursor \(name) has no failed or unreachable hosts to retry")
        }
        var settings = old.settings
        if let size = request.batchSize { settings.batchSize = size }
        var ordered = hostIndices
        if let order = request.order {
            settings.order = order
            if let problem = settings.problem { throw EngineError.invalid(problem) }
            ordered = order.apply(
                to: hostIndices, in: try await pools.loadInventory(revisionId: old.revisionId),
                seed: settings.seed ?? "")
        }
        return try await insert(
            name: request.name, settings: settings, revisionId: old.revisionId, hostIndices: ordered, retryOf: name)
    }
}
