/// What a rollout runs on: the selected hosts in batch order, tier by tier, and how they split
/// into batches.
///
/// A pure function of (inventory, limit, order, seed, tiers, batch size): the same inputs give
/// the same hosts in the same batches on every machine, so a stored cursor can recompute batch `k`.
public struct RolloutPlan: Sendable, Hashable {
    /// Host indices (into ``Inventory/hosts``) in batch order.
    public let hostIndices: [Int]
    /// The end (exclusive) of each tier's positions in ``hostIndices``: one per tier pattern, then
    /// one for the hosts that no tier matched (the last tier, empty when every host matched one).
    public let tierEnds: [Int]
    /// The batch size the plan was cut with.
    public let batchSize: BatchSize
    /// What Ansible would warn about while selecting (e.g. a limit pattern that matched nothing).
    public let warnings: [String]

    /// Plans a rollout like `ansible-playbook` with `hosts: all`, `--limit limit`, `order` and
    /// `serial: batchSize`.
    ///
    /// As in ansible-core's `get_hosts`, the hosts of `all` are taken in their order and those
    /// the limit does not select are dropped (the limit filters, it does not reorder), then
    /// `order` is applied; `seed` only matters for ``HostOrder/shuffle``. With `tiers`, the
    /// ordered hosts are then grouped by the first tier pattern that matches them (keeping their
    /// order within a tier), and the hosts no tier matches come last.
    public init(
        inventory: Inventory, limit: HostPattern?, order: HostOrder, seed: String = "",
        tiers: [HostPattern] = [], batchSize: BatchSize
    ) throws(InventoryError) {
        var warnings: [String] = []
        var selected: [Int] = []
        selected.reserveCapacity(inventory.hosts.count)
        var seen = [Bool](repeating: false, count: inventory.hosts.count)
        inventory.appendHostIndices(inGroup: Inventory.allIndex, to: &selected, seen: &seen)
        if let limit {
            let limited = try limit.evaluate(in: inventory, warnings: &warnings)
            var keep = [Bool](repeating: false, count: inventory.hosts.count)
            for h in limited { keep[h] = true }
            selected.removeAll { !keep[$0] }
        }
        if selected.isEmpty { warnings.append("No hosts matched, nothing to do") }
        let ordered = order.apply(to: selected, in: inventory, seed: seed)
        var tierOf = [Int](repeating: tiers.count, count: inventory.hosts.count)
        for (t, pattern) in tiers.enumerated().reversed() {
            // Reversed, so that the first matching tier is the one written last.
            var ignored: [String] = []
            for h in try pattern.evaluate(in: inventory, warnings: &ignored) { tierOf[h] = t }
        }
        var byTier = [[Int]](repeating: [], count: tiers.count + 1)
        for h in ordered { byTier[tierOf[h]].append(h) }
        for (t, hosts) in byTier.enumerated() where t < tiers.count && hosts.isEmpty && !ordered.isEmpty {
            warnings.append("tier \(t + 1) (\(tiers[t].text)) matches none of the rollout's hosts")
        }
        hostIndices = byTier.flatMap { $0 }
        var end = 0
        tierEnds = byTier.map {
            end += $0.count; return end
        }
        self.batchSize = batchSize
        self.warnings = warnings
    }

    /// Every batch of the plan, in order (walks them all: for previews and tests).
    public var batches: [BatchCutter.Cut] {
        var cutter = BatchCutter(tierEnds: tierEnds)
        var all: [BatchCutter.Cut] = []
        while let cut = cutter.cut(batchSize: batchSize) { all.append(cut) }
        return all
    }

    /// The host indices of batch `k` (1-based); nil when there is no such batch.
    public func hostIndices(inBatch k: Int) -> ArraySlice<Int>? {
        let all = batches
        guard all.indices.contains(k - 1) else { return nil }
        return hostIndices[all[k - 1].positions]
    }

    /// The host names of batch `k` (1-based); nil when there is no such batch.
    public func hostNames(inBatch k: Int, in inventory: Inventory) -> [String]? {
        hostIndices(inBatch: k).map { $0.map { inventory.hosts.keys[$0] } }
    }
}
