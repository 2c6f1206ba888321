import InventoryModel

/// Rebuilds stored revisions: the whole inventory, or just its group table.
enum RevisionLoader {
    static func groupTable(_ tx: any StoreTransaction, revisionId: Int) throws -> GroupTable {
        let rows = try tx.rows("SELECT name, vars, priority, parents, children FROM pool_groups WHERE revision_id = ? ORDER BY idx",
                               [SQLValue(revisionId)])
        var table = GroupTable(names: [], vars: [], priorities: [], parents: [], children: [])
        for row in rows {
            table.names.append(row[0].text ?? "")
            table.vars.append(try JSONText.decodeObject(row[1]))
            table.priorities.append(row[2].int)
            table.parents.append(JSONText.decodeInts(row[3]))
            table.children.append(JSONText.decodeInts(row[4]))
        }
        table.encodeWireVars()
        return table
    }

    static func inventory(_ tx: any StoreTransaction, revisionId: Int) throws -> Inventory {
        var inventory = Inventory()
        let groups = try tx.rows("SELECT name, vars, priority, children, hosts FROM pool_groups WHERE revision_id = ? ORDER BY idx",
                                 [SQLValue(revisionId)])
        var names: [String] = []
        for row in groups {
            let name = row[0].text ?? ""
            names.append(name)
            try inventory.addGroup(name)
            for (k, v) in try JSONText.decodeObject(row[1]) { try inventory.setVariable(name, k, v) }
            if let p = row[2].int { try inventory.setVariable(name, "ansible_group_priority", .int(p)) }
        }
        let hosts = try tx.rows("SELECT name, vars FROM pool_hosts WHERE revision_id = ? ORDER BY idx", [SQLValue(revisionId)])
        var hostNames: [String] = []
        hostNames.reserveCapacity(hosts.count)
        for row in hosts {
            let name = row[0].text ?? ""
            hostNames.append(name)
            try inventory.addHost(name)
            for (k, v) in try JSONText.decodeObject(row[1]) { try inventory.setHostVariable(name, k, v) }
        }
        for (gi, row) in groups.enumerated() {
            for child in JSONText.decodeInts(row[3]) where child < names.count {
                try inventory.addChild(names[gi], names[child])
            }
            // addHost, not addChild: a host may share its name with a group.
            for h in JSONText.decodeInts(row[4]) where h < hostNames.count {
                try inventory.addHost(hostNames[h], group: names[gi])
            }
        }
        return inventory
    }
}
