import InventoryModel

/// What an inventory script needs of one batch (its hosts in hand-out order, their vars, their
/// groups with vars and parents), read once and kept.
///
/// A batch's hosts never change (its slice of the cursor's plan is fixed when it is made, and
/// the plan and the pool revision are immutable), so every re-read of the batch (an AWX retry,
/// the same update run again, `GET …/claim`) reuses it instead of reading thousands of hosts.
struct BatchInventory: Sendable {
    var hosts: [String]
    var hostvars: [String: JSONObject]
    var groups: [String: BatchGroup]
    /// About how many bytes it holds, for the cache's bound.
    var cost: Int

    init(hosts: [PlanHost], groups: GroupTable) throws {
        self.hosts = hosts.map(\.name)
        var hostvars: [String: JSONObject] = [:]
        var cost = 0
        for host in hosts {
            cost += host.name.utf8.count + (host.vars.text?.utf8.count ?? 0) + 16
            let vars = try JSONText.decodeObject(host.vars)
            if !vars.isEmpty { hostvars[host.name] = vars }
        }
        self.hostvars = hostvars
        self.groups = BatchPayload.batchGroups(hosts: hosts, table: groups)
        self.cost = cost
    }
}

/// Batch inventories of recently claimed batches, keyed by cursor id and batch number: cursor
/// ids are never reused (AUTOINCREMENT on SQLite, an identity column on PostgreSQL), so an
/// entry can never describe another batch, on any replica.
struct BatchInventoryKey: Hashable, Sendable {
    var cursorId: Int
    var batchId: Int
}
