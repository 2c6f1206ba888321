/// Reads YAML inventories with the semantics of ansible-core's `yaml` inventory plugin
/// (`plugins/inventory/yaml.py`: `parse`, `_parse_group`, `_parse_host`).
///
/// The file is loaded as Ansible loads it (JSON first, then YAML with PyYAML's YAML 1.1 rules,
/// see ``YAMLLoader``). Top-level keys are groups; a group is a mapping or null with the
/// sections `vars`, `children` and `hosts` (a string section means `{that string: null}`);
/// host keys are patterns (`web[01:50]`, `host:2222`). What Ansible skips with a `[WARNING]`
/// is skipped and noted in ``Inventory/warnings``; what Ansible rejects throws, with the line.
public enum YAMLInventoryReader {
    /// Reads YAML inventory text; `source` names the file in errors.
    public static func read(text: String, source: String? = nil) throws(InventoryError) -> Inventory {
        do {
            let (data, warnings) = try YAMLLoader.load(text)
            var reader = Reader()
            reader.inventory.warnings = warnings
            try reader.parse(data)
            try reader.inventory.reconcile()
            return reader.inventory
        } catch {
            throw error.inSource(source)
        }
    }
}

private struct Reader {
    var inventory = Inventory()

    mutating func parse(_ data: YAMLValue) throws(InventoryError) {
        guard data.isTruthy else { throw InventoryError("Parsed empty YAML file") }
        guard case .mapping(let groups) = data else {
            throw InventoryError(
                "YAML inventory has invalid structure, it should be a dictionary, got: \(data.pythonType)",
                location: .line(1))
        }
        if let plugin = groups.first(where: { $0.key.stringValue == "plugin" }), plugin.value.isTruthy {
            throw InventoryError(
                "Plugin configuration YAML file, not YAML inventory", location: plugin.keyMark?.location)
        }
        for entry in groups { _ = try parseGroup(entry) }
    }

    /// `_parse_group`: returns the group's name as Ansible would pass it on to `add_child`.
    mutating func parseGroup(_ entry: YAMLEntry) throws(InventoryError) -> YAMLValue {
        let key = entry.key
        let entries: [YAMLEntry]
        switch entry.value {
        case .null: entries = []
        case .mapping(let m): entries = m
        default:
            inventory.warnings.append("Skipping '\(key.pythonStr)' as this is not a valid group definition")
            return key
        }
        let group = try addGroup(key, at: entry.keyMark)
        let sections = try normalizedSections(entries, group: group)
        for item in sections {
            let name = item.key.pythonStr
            let section: [YAMLEntry]
            switch item.value {
            case .null: continue
            case .mapping(let m): section = m
            default:
                inventory.warnings.append(
                    "Skipping key (\(name)) in group (\(group)) as it is not a mapping, it is a "
                        + "\(item.value.pythonType)"
                )
                continue
            }
            switch item.key.stringValue {
            case "vars":
                for variable in section {
                    try at(variable.keyMark) { (inv: inout Inventory) throws(InventoryError) in
                        try inv.setVariable(group, try variable.jsonKey(), try variable.value.json())
                    }
                }
            case "children":
                for child in section {
                    let childName = try parseGroup(child)
                    try at(child.keyMark) { (inv: inout Inventory) throws(InventoryError) in
                        guard let name = childName.stringValue else {
                            throw InventoryError("\(childName.pythonStr) is not a known host nor group")
                        }
                        try inv.addChild(group, name)
                    }
                }
            case "hosts":
                for host in section { try parseHost(host, group: group) }
            default:
                inventory.warnings.append(
                    "Skipping unexpected key (\(name)) in group (\(group)), only \"vars\", \"children\" and "
                        + "\"hosts\" are valid"
                )
            }
        }
        return .string(group)
    }

    /// Ansible first turns string sections into `{s: None}` and rejects other non-mappings,
    /// checking `vars`, then `children`, then `hosts`, before it reads any of them.
    private func normalizedSections(_ entries: [YAMLEntry], group: String) throws(InventoryError) -> [YAMLEntry] {
        var entries = entries
        for section in ["vars", "children", "hosts"] {
            guard let i = entries.firstIndex(where: { $0.key.stringValue == section }) else { continue }
            let value = entries[i].value
            switch value {
            case .string, .unsafe:
                entries[i].value = .mapping([
                    YAMLEntry(key: value, value: .null, keyMark: entries[i].valueMark, valueMark: entries[i].valueMark)
                ])
            case .mapping, .null:
                break
            default:
                throw InventoryError(
                    "Invalid \"\(section)\" entry for \"\(group)\" group, requires a dictionary, found "
                        + "\"\(value.pythonType)\" instead.",
                    location: (entries[i].valueMark ?? entries[i].keyMark)?.location)
            }
        }
        return entries
    }

    private mutating func addGroup(_ key: YAMLValue, at mark: YAMLMark?) throws(InventoryError) -> String {
        let reason: String
        if !key.isTruthy {
            reason = "Invalid empty/false group name provided: \(key.pythonStr)"
        } else if let name = key.stringValue {
            do {
                return try inventory.addGroup(name)
            } catch {
                reason = error.message
            }
        } else {
            reason = "Invalid group name supplied, expected a string but got \(key.pythonType) for \(key.pythonStr)"
        }
        throw InventoryError("Unable to add group \(key.pythonStr): \(reason)", location: mark?.location)
    }

    /// `_parse_host` and `_populate_host_vars`.
    private mutating func parseHost(_ entry: YAMLEntry, group: String) throws(InventoryError) {
        guard let pattern = entry.key.stringValue else {
            throw InventoryError(
                "Host pattern \(entry.key.pythonStr) must be a string. Enclose integers/floats in quotation marks.",
                location: entry.keyMark?.location)
        }
        let variables = entry.value.isTruthy ? entry.value : .mapping([])
        guard case .mapping(let vars) = variables else {
            throw InventoryError(
                "Invalid data from file, expected dictionary and got:\n\n\(variables.pythonStr)",
                location: (entry.valueMark ?? entry.keyMark)?.location)
        }
        // One conversion per pattern, however many hosts a range expands to.
        var converted: [(String, JSONValue)] = []
        converted.reserveCapacity(vars.count)
        for variable in vars {
            try at(variable.keyMark) { (_: inout Inventory) throws(InventoryError) in
                converted.append((try variable.jsonKey(), try variable.value.json()))
            }
        }
        try at(entry.keyMark) { (inv: inout Inventory) throws(InventoryError) in
            let (hosts, port) = try HostRange.expand(pattern)
            for host in hosts {
                try inv.addHost(host, group: group, port: port)
                for (k, v) in converted { try inv.setVariable(host, k, v) }
            }
        }
    }

    /// Runs a step and gives its error the mark of the entry being read, if it has none.
    private mutating func at(_ mark: YAMLMark?, _ body: (inout Inventory) throws(InventoryError) -> Void)
        throws(InventoryError)
    {
        do {
            try body(&inventory)
        } catch {
            var located = error
            if located.location == nil { located.location = mark?.location }
            throw located
        }
    }
}
