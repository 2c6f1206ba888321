import InventoryModel

/// Builds what the API shows of a batch, with or without the inventory an inventory script needs.
enum BatchPayload {
    static func info(_ batch: BatchRow, hosts: [PlanHost], now: Double, groups: GroupTable?) throws -> BatchInfo {
        var info = BatchInfo(
            batchId: batch.batchId, state: batch.effectiveState(at: now), attempt: batch.attempt,
            consumer: batch.consumer,
            claimKey: batch.claimKey,
            leaseExpiresAt: batch.state == .completed ? nil : batch.leaseExpiresAt.map(RFC3339.string(fromEpoch:)),
            externalRef: batch.externalRef, hosts: hosts.map(\.name),
            results: batch.state == .completed ? batch.decodedResults : nil,
            completedAt: batch.completedAt.map(RFC3339.string(fromEpoch:)))
        guard let groups else { return info }
        let inventory = try BatchInventory(hosts: hosts, groups: groups)
        info.hostvars = inventory.hostvars
        info.groups = inventory.groups
        return info
    }

    /// The groups of the batch's hosts and all their ancestors (so `all` too), each listing only
    /// batch hosts and only child groups that lead to batch hosts.
    static func batchGroups(hosts: [PlanHost], table: GroupTable) -> [String: BatchGroup] {
        let relevant = table.closure(of: hosts.flatMap(\.groups) + [0])
        var result: [String: BatchGroup] = [:]
        for g in relevant {
            result[table.names[g]] = BatchGroup(
                hosts: [], children: table.children[g].filter { relevant.contains($0) }.map { table.names[$0] },
                vars: table.apiVars(g))
        }
        for host in hosts {
            for g in host.groups where g < table.names.count {
                result[table.names[g]]?.hosts.append(host.name)
            }
        }
        return result
    }
}
