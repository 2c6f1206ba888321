import OrderedCollections

/// Which of `ansible-inventory`'s two JSON forms to write.
public enum InventoryForm: Sendable, Hashable {
    /// `--list`: group vars are folded into each host's vars; groups carry no vars.
    case merged
    /// `--list --export`: group vars stay on the groups; hosts carry only their own vars.
    case export
}

extension Inventory {
    /// The inventory as inventory-script JSON, shaped exactly as `ansible-inventory --list`
    /// prints it: dict-form groups reached from `all`, empty keys and empty groups left out,
    /// and `_meta.hostvars` always present (hosts without vars left out of it).
    ///
    /// - Parameters:
    ///   - form: merged (`--list`) or export (`--list --export`).
    ///   - only: when given, the indices of the hosts to include (what `--limit` selects);
    ///     groups keep their children but list only these hosts.
    public func scriptJSON(form: InventoryForm = .export, only: Set<Int>? = nil) -> JSONValue {
        var result = JSONObject()
        var seen = Set<Int>()
        formatGroup(Self.allIndex, form: form, only: only, seen: &seen, into: &result)

        var hostvars = JSONObject()
        let included: [Int] =
            only.map { set in hostIndices(inGroup: Self.allIndex).filter { set.contains($0) } }
            ?? Array(hostIndices(inGroup: Self.allIndex))
        hostvars.reserveCapacity(included.count)
        for hi in included {
            let vars = form == .export ? hosts.values[hi].vars : mergedVars(ofHost: hi)
            if !vars.isEmpty { hostvars[hosts.keys[hi]] = .object(vars) }
        }
        // ansible-core 2.19 names the JSON profile; older versions ignore the key.
        result["_meta"] = .object(["hostvars": .object(hostvars), "profile": "inventory_legacy"])
        return .object(result)
    }

    private func formatGroup(
        _ gi: Int, form: InventoryForm, only: Set<Int>?, seen: inout Set<Int>, into result: inout JSONObject
    ) {
        let group = groups.values[gi]
        var entry = JSONObject()
        if gi != Self.allIndex {
            let names = group.hostIndices.lazy.filter { only?.contains($0) ?? true }.map {
                JSONValue.string(self.hosts.keys[$0])
            }
            if !names.isEmpty { entry["hosts"] = .array(Array(names)) }
        }
        if !group.childIndices.isEmpty {
            entry["children"] = .array(group.childIndices.map { .string(groups.keys[$0]) })
        }
        for child in group.childIndices where seen.insert(child).inserted {
            formatGroup(child, form: form, only: only, seen: &seen, into: &result)
        }
        if form == .export {
            var vars = group.vars
            if let priority = group.priority, priority != 1 { vars["ansible_group_priority"] = .int(priority) }
            if !vars.isEmpty { entry["vars"] = .object(vars) }
        }
        if !entry.isEmpty { result[group.name] = .object(entry) }
    }

    /// The inventory as `ansible-inventory --list` text: 4-space indent, sorted keys.
    public func scriptJSONText(form: InventoryForm = .export, only: Set<Int>? = nil) -> String {
        String(decoding: scriptJSONBytes(form: form, only: only), as: UTF8.self)
    }
}
