import Foundation
import InventoryModel

extension CursorService {
    /// The batches of a cursor: those made already as they are, then those still to come as
    /// the current settings will cut them.
    public func planPreview(_ cursor: String, limit: Int, offset: Int) async throws -> PlanPreview {
        try await store.read { tx in
            let c = try CursorRow.load(tx, name: cursor)
            let made = try tx.rows(
                "SELECT \(BatchRow.columns) FROM batches WHERE cursor_id = ? AND batch_id > ? ORDER BY batch_id LIMIT ?",
                [SQLValue(c.id), SQLValue(offset), SQLValue(limit)]
            ).map { row throws(SQLRowError) in try BatchRow(row) }
            let cutter = c.cutter
            var items: [PlannedBatch] = []
            func add(batch: Int, positions: Range<Int>, state: String) throws {
                let shown = min(positions.count, PlannedBatch.firstHostsShown)
                let names = try PlanQuery.hosts(
                    tx, cursorId: c.id, revisionId: c.revisionId, start: positions.lowerBound, count: shown
                ).map(\.name)
                let tier = cutter.tier(of: positions.lowerBound)
                items.append(
                    PlannedBatch(
                        batch: batch, tier: tier + 1,
                        tierPattern: c.settings.tiers.indices.contains(tier)
                            ? c.settings.tiers[tier] : nil,
                        hostCount: positions.count, firstHosts: names, state: state))
            }
            for b in made {
                try add(
                    batch: b.batchId, positions: b.startPosition..<(b.startPosition + b.hostCount),
                    state: b.state.rawValue)
            }
            var walk = cutter
            while items.count < limit, let cut = walk.cut(batchSize: c.settings.batchSize) {
                if cut.batch > offset { try add(batch: cut.batch, positions: cut.positions, state: "planned") }
            }
            return PlanPreview(
                items: items, total: c.batchesTotal, limit: limit, offset: offset, hosts: c.totalHosts,
                tiers: Self.tiers(c.tierEnds, patterns: c.settings.tiers), warnings: [])
        }
    }

    /// The plan of a cursor not yet made: what ``create(_:actor:)`` would plan, stored nowhere.
    public func dryRun(_ request: CursorCreateRequest, limit: Int, offset: Int) async throws -> PlanPreview {
        try Names.check(request.name, kind: "cursor")
        let (plan, _, inventory) = try await self.plan(of: request.settings)
        let all = plan.batches
        let items = all.dropFirst(offset).prefix(limit).map { cut in
            PlannedBatch(
                batch: cut.batch, tier: cut.tier + 1,
                tierPattern: request.settings.tiers.indices.contains(cut.tier) ? request.settings.tiers[cut.tier] : nil,
                hostCount: cut.positions.count,
                firstHosts: plan.hostIndices[cut.positions].prefix(PlannedBatch.firstHostsShown).map {
                    inventory.hosts.keys[$0]
                },
                state: "planned")
        }
        return PlanPreview(
            items: Array(items), total: all.count, limit: limit, offset: offset, hosts: plan.hostIndices.count,
            tiers: Self.tiers(plan.tierEnds, patterns: request.settings.tiers), warnings: plan.warnings)
    }

    /// The tiers of a plan with their host counts; the rest only when it has hosts or is all.
    static func tiers(_ ends: [Int], patterns: [String]) -> [PlannedTier] {
        var start = 0
        var tiers: [PlannedTier] = []
        for (t, end) in ends.enumerated() {
            let pattern = patterns.indices.contains(t) ? patterns[t] : nil
            if pattern != nil || end > start || tiers.isEmpty {
                tiers.append(PlannedTier(tier: t + 1, pattern: pattern, hosts: end - start))
            }
            start = end
        }
        return tiers
    }
}
