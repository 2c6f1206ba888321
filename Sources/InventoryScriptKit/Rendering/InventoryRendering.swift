import InventoryModel

/// Builds the inventory `--list` prints from the service's answers, through ``Inventory`` so
/// that `all`, `ungrouped` and the group tree follow ansible-core's rules, and prints it as
/// inventory-script JSON (dict-form groups, group vars on the groups, `_meta.hostvars`).
public enum InventoryRendering {
    /// The group that holds the batch's hosts in pool mode.
    public static let batchGroup = "batch_current"

    /// Mode `batch`: the batch's hosts, their groups (ancestors included) with their vars, the
    /// hosts' own vars, and the facts as `all` vars. A done rollout gives an inventory with no
    /// hosts and `has_more: false`.
    public static func batchInventory(_ claim: ClaimResponse, facts: JSONObject) throws(ScriptError) -> Inventory {
        var inventory = Inventory()
        do {
            if let batch = claim.batch {
                for host in batch.hosts { try inventory.addHost(host) }
                let groups = batch.groups ?? [:]
                let names = groups.keys.sorted(by: codePointLess)
                for name in names { try inventory.addGroup(name) }
                for name in names {
                    let group = groups[name]!
                    for child in group.children {
                        guard groups[child] != nil else {
                            throw ScriptError(
                                .badAnswer,
                                "the claim answer's group \(name) names child group \(child), which it does not "
                                    + "describe"
                            )
                        }
                        try inventory.addChild(name, child)
                    }
                    for host in group.hosts {
                        guard inventory.hosts[host] != nil else {
                            throw ScriptError(
                                .badAnswer,
                                "the claim answer's group \(name) lists host \(host), which is not in batch "
                                    + "\(batch.batchId)"
                            )
                        }
                        try inventory.addHost(host, group: name)
                    }
                    for (key, value) in group.vars { try inventory.setVariable(name, key, value) }
                }
                for (host, vars) in batch.hostvars ?? [:] {
                    guard inventory.hosts[host] != nil else {
                        throw ScriptError(
                            .badAnswer,
                            "the claim answer has vars for host \(host), which is not in batch \(batch.batchId)")
                    }
                    try inventory.setHostVariables(host, vars)
                }
            }
            for (key, value) in facts { try inventory.setVariable("all", key, value) }
            try inventory.reconcile()
        } catch let error as ScriptError {
            throw error
        } catch {
            throw ScriptError(.badAnswer, "the claim answer does not make a valid inventory: \(error)")
        }
        return inventory
    }

    /// Mode `pool`: the whole pool revision (as `GET /api/v1/pools/{pool}/inventory` gives it)
    /// with the batch's hosts also in group `batch_current`, and the facts as `all` vars. Once
    /// the rollout is done the pool is still all there (an AWX source with Overwrite would
    /// otherwise delete every host) and `batch_current` is empty.
    public static func poolInventory(
        _ pool: JSONValue, poolName: String, revision: Int, claim: ClaimResponse,
        facts: JSONObject
    ) throws(ScriptError) -> Inventory {
        let source = "pool \(poolName) revision \(revision)"
        var inventory: Inventory
        do {
            inventory = try ScriptJSONReader.read(pool, source: source)
        } catch {
            throw ScriptError(.badAnswer, "the service's inventory of \(source) cannot be read: \(error)")
        }
        guard inventory.groups[batchGroup] == nil else {
            throw ScriptError(
                .usage,
                "\(source) has a group named \(batchGroup), which mode pool needs for the batch; rename that group "
                    + "in the pool or use mode batch"
            )
        }
        do {
            try inventory.addGroup(batchGroup)
            try inventory.addChild("all", batchGroup)
            for host in claim.batch?.hosts ?? [] {
                guard inventory.hosts[host] != nil else {
                    throw ScriptError(
                        .badAnswer, "batch host \(host) is not in \(source), which the cursor is pinned to")
                }
                try inventory.addHost(host, group: batchGroup)
            }
            for (key, value) in facts { try inventory.setVariable("all", key, value) }
            try inventory.reconcile()
        } catch let error as ScriptError {
            throw error
        } catch {
            throw ScriptError(.badAnswer, "\(source) with the batch does not make a valid inventory: \(error)")
        }
        return inventory
    }

    /// What `--host NAME` prints: the host's own vars, as `_meta.hostvars` of `--list` has them
    /// (group vars reach the host through its groups); `{}` for a host that is not there.
    public static func hostVars(_ name: String, in inventory: Inventory) -> JSONObject {
        inventory.hosts[name]?.vars ?? [:]
    }

    /// The inventory as `--list` prints it: `ansible-inventory --list --export` style JSON,
    /// written straight from the inventory (no value tree of it is built), and a final newline.
    public static func output(_ inventory: Inventory) -> [UInt8] {
        var bytes = inventory.scriptJSONBytes(form: .export)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The bytes to print: `ansible-inventory --list` style JSON and a final newline.
    public static func output(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        JSONWriter().write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
