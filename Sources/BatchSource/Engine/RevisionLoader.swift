import InventoryModel

/// Rebuilds stored revisions: the whole inventory, or just its group table.
enum RevisionLoader {
    static func groupTable(_ tx: any StoreTransaction, revisionId: Int) throws -> GroupTable {
        let rows = try tx.rows(
            "SELECT name, vars, priority, parents, children FROM pool_groups WHERE revision_id = ? ORDER BY idx",
            [SQLValue(revisionId)])
        var table = GroupTable(names: [], vars: [], priorities: [], parents: [], children: [])
        for row in rows {
            table.names.append(try row.text("name"))
            table.vars.append(try JSONText.decodeObject(try row["vars"]))
            table.priorities.append(try row["priority"].int)
            table.parents.append(JSONText.decodeInts(try row["parents"]))
            table.children.append(JSONText.decodeInts(try row["children"]))
        }
        return table
    }

    static func inventory(_ tx: any StoreTransaction, revisionId: Int) throws -> Inventory {
        var inventory = Inventory()
        let groups = try tx.rows(
            "SELECT name, vars, priority, children, hosts FROM pool_groups WHERE revision_id = ? ORDER BY idx",
            [SQLValue(revisionId)])
        var names: [String] = []
        for row in groups {
            let name = try row.text("name")
            names.append(name)
            try inventory.addGroup(name)
            for (k, v) in try JSONText.decodeObject(try row["vars"]) { try inventory.setVariable(name, k, v) }
            if let p = try row["priority"].int { try inventory.setVariable(name, "ansible_group_priority", .int(p)) }
        }
        let hosts = try tx.rows(
            "SELECT name, vars FROM pool_hosts WHERE revision_id = ? ORDER BY idx", [SQLValue(revisionId)])
        var hostNames: [String] = []
        hostNames.reserveCapacity(hosts.count)
        for row in hosts {
            let name = try row.text("name")
            hostNames.append(name)
            try inventory.addHost(name)
            for (k, v) in try JSONText.decodeObject(try row["vars"]) { try inventory.setHostVariable(name, k, v) }
        }
        for (gi, row) in groups.enumerated() {
            for child in JSONText.decodeInts(try row["children"]) where child < names.count {
                try inventory.addChild(names[gi], names[child])
            }
            // addHost, not addChild: a host may share its name with a group.
            for h in JSONText.decodeInts(try row["hosts"]) where h < hostNames.count {
                try inventory.addHost(hostNames[h], group: names[gi])
            }
        }
        return inventory
    }
}
