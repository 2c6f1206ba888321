/// What a rollout runs on: the selected hosts in batch order and how they split into batches.
///
/// A pure function of (inventory, limit, order, seed, batch size): the same inputs give the same
/// hosts in the same batches on every machine, so a stored cursor can recompute batch `k`.
public struct RolloutPlan: Sendable, Hashable {
    /// Host indices (into ``Inventory/hosts``) in batch order.
    public let hostIndices: [Int]
    /// The batches, as ranges of positions in ``hostIndices``.
    public let batches: BatchPlan
    /// What Ansible would warn about while selecting (e.g. a limit pattern that matched nothing).
    public let warnings: [String]

    /// Plans a rollout like `ansible-playbook` with `hosts: all`, `--limit limit`, `order` and
    /// `serial: batchSize`.
    ///
    /// As in ansible-core's `get_hosts`, the hosts of `all` are taken in their order and those
    /// the limit does not select are dropped (the limit filters, it does not reorder), then
    /// `order` is applied; `seed` only matters for ``HostOrder/shuffle``.
    public init(
        inventory: Inventory, limit: HostPattern?, order: HostOrder, seed: String = "",
        batchSize: BatchSize
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
        hostIndices = order.apply(to: selected, in: inventory, seed: seed)
        batches = BatchPlan(hostCount: hostIndices.count, batchSize: batchSize)
        self.warnings = warnings
    }

    /// The host indices of batch `k` (1-based); nil outside `1...batches.batchCount`.
    public func hostIndices(inBatch k: Int) -> ArraySlice<Int>? {
        batches.range(ofBatch: k).map { hostIndices[$0] }
    }

    /// The host names of batch `k` (1-based); nil outside `1...batches.batchCount`.
    public func hostNames(inBatch k: Int, in inventory: Inventory) -> [String]? {
        hostIndices(inBatch: k).map { $0.map { inventory.hosts.keys[$0] } }
    }
}
