/// Reads inventory-script JSON: what inventory scripts print and what
/// `ansible-inventory --list [--export]` prints.
///
/// Follows ansible-core's `script` inventory plugin: dict-form groups (`hosts`, `vars`,
/// `children`), legacy list-form groups (`"web": ["a", "b"]`), the legacy shorthand of a group
/// given only vars (a host of the group's name), and `_meta.hostvars`. Hosts named only in
/// `_meta.hostvars` and in no group are not part of the inventory, as in Ansible.
///
/// One extension: `hosts` may also be a `{name: vars}` map, as in the YAML inventory format,
/// since such files are common; Ansible's script plugin rejects that form.
public enum ScriptJSONReader {
    /// Reads script JSON text.
    public static func read(text: String, source: String? = nil) throws(InventoryError) -> Inventory {
        let document: JSONValue
        let hostvars: JSONObjectTable?
        do {
            (document, hostvars) = try JSONParser.parseScript(text)
        } catch {
            throw InventoryError(
                "not valid JSON: \(error.message)", source: source, location: .line(error.line, column: error.column))
        }
        return try read(document, hostvars: consume hostvars, source: source)
    }

    /// Reads an already parsed script JSON document.
    public static func read(_ document: JSONValue, source: String? = nil) throws(InventoryError) -> Inventory {
        try read(document, hostvars: nil, source: source)
    }

    /// Reads a document from ``JSONParser/parseScript(_:)``: `hostvars` stands for the
    /// document's `_meta.hostvars` object when the parser took it out.
    static func read(_ document: JSONValue, hostvars: consuming JSONObjectTable?, source: String?)
        throws(InventoryError) -> Inventory
    {
        do {
            return try build(document, parsedHostvars: hostvars)
        } catch {
            throw error.inSource(source)
        }
    }

    private static func build(_ document: JSONValue, parsedHostvars: consuming JSONObjectTable?) throws(InventoryError)
        -> Inventory
    {
        guard case .object(let top) = document else {
            throw InventoryError("needs to be a json dict, got \(document.typeName)", location: .path("$"))
        }
        // The host vars table comes first, whatever the place of `_meta`: its names start the
        // collector's name index, so a host named in a group finds its vars by position.
        // `_meta` is checked where it stands, below, so errors come in document order.
        var table = parsedHostvars ?? top["_meta"]?.objectValue?["hostvars"]?.objectValue.map(JSONObjectTable.init)
        // The collector takes the key index over (no copy of a million keys on its first insert).
        let names = table?.keys
        let hostvarsValues = table?.values
        table = nil
        var inventory = Inventory()
        var hosts = HostCollector(names: (consume names) ?? StringIndex())
        var hasHostvars = false
        var hostvarsPath = JSONPath().key("_meta").key("hostvars")

        for (groupName, groupData) in top {
            let path = JSONPath().key(groupName)
            if groupName == "_meta" {
                guard case .object(let meta) = groupData else {
                    throw InventoryError("_meta must be a dict, got \(groupData.typeName)", location: path.location)
                }
                if let hv = meta["hostvars"] {
                    guard case .object = hv else {
                        throw InventoryError(
                            "_meta.hostvars must be a dict of host names to dicts, got \(hv.typeName)",
                            location: path.key("hostvars").location)
                    }
                    hasHostvars = true
                    hostvarsPath = path.key("hostvars")
                }
                continue
            }
            try parseGroup(groupName, groupData, path: path, into: &inventory, hosts: &hosts)
        }

        // Ansible applies `_meta.hostvars` to the hosts named in groups, in the order they were
        // first named, which is the collector's order.
        if hasHostvars, let hostvarsValues {
            for hi in hosts.hosts.indices {
                let entry = hosts.nameOfHost[hi]
                guard entry < hostvarsValues.count else { continue }
                let vars = hostvarsValues[entry]
                guard case .object(let object) = vars else {
                    throw InventoryError(
                        "Invalid data from file, expected dictionary and got \(vars.typeName)",
                        location: hostvarsPath.key(hosts.hosts[hi].name).location)
                }
                try setVariables(object, ofHostAt: hi, in: &hosts, inventory: &inventory)
            }
        }
        inventory.adoptHosts(hosts)
        try inventory.reconcile()
        return inventory
    }

    /// ``Inventory/setVariable(_:_:_:)`` for each of `vars` on a collected host: a group of the
    /// same name takes them instead, as in Ansible. A host without vars takes the object whole.
    private static func setVariables(
        _ vars: JSONObject, ofHostAt hi: Int, in hosts: inout HostCollector, inventory: inout Inventory
    ) throws(InventoryError) {
        let name = hosts.hosts[hi].name
        if inventory.groups.index(forKey: name) != nil {
            for (k, v) in vars { try inventory.setVariable(name, k, v) }
        } else if hosts.hosts[hi].vars.isEmpty {
            hosts.hosts[hi].vars = vars
        } else {
            for (k, v) in vars { hosts.hosts[hi].vars[k] = v }
        }
    }

    private static func parseGroup(
        _ name: String, _ data: JSONValue, path: JSONPath, into inventory: inout Inventory,
        hosts collected: inout HostCollector
    ) throws(InventoryError) {
        do {
            try inventory.addGroup(name)
        } catch {
            throw InventoryError(error.message, location: path.location)
        }
        let groupIndex = inventory.groups.index(forKey: name)!
        var hosts: JSONValue?
        var vars: JSONValue?
        var children: JSONValue?
        var hostsPath = path.key("hosts")
        switch data {
        case .object(let object):
            if object["hosts"] == nil && object["vars"] == nil && object["children"] == nil {
                // Legacy shorthand: a dict without those keys is a host of the group's name with vars.
                hosts = .array([.string(name)])
                vars = data
            } else {
                hosts = object["hosts"]
                vars = object["vars"]
                children = object["children"]
            }
        default:
            // Legacy list form: the value is the host list.
            hosts = data
            hostsPath = path
        }

        if let hosts {
            switch hosts {
            case .array(let list):
                for (i, host) in list.enumerated() {
                    guard case .string(let hostName) = host else {
                        throw InventoryError(
                            "Invalid host name supplied, expected a string but got \(host.typeName)",
                            location: hostsPath.index(i).location)
                    }
                    do {
                        try collected.add(hostName, toGroupAt: groupIndex)
                    } catch {
                        throw InventoryError(error.message, location: hostsPath.index(i).location)
                    }
                }
            case .object(let map):
                for (hostName, hostVars) in map {
                    let hostIndex: Int
                    do {
                        hostIndex = try collected.add(hostName, toGroupAt: groupIndex)
                    } catch {
                        throw InventoryError(error.message, location: hostsPath.key(hostName).location)
                    }
                    switch hostVars {
                    case .null: break
                    case .object(let object):
                        try setVariables(object, ofHostAt: hostIndex, in: &collected, inventory: &inventory)
                    default:
                        throw InventoryError(
                            "host vars must be a dict, got \(hostVars.typeName)",
                            location: hostsPath.key(hostName).location)
                    }
                }
            default:
                throw InventoryError(
                    "You defined a group '\(name)' with bad data for the host list: expected a list, got "
                        + "\(hosts.typeName)",
                    location: hostsPath.location)
            }
        }

        if let vars {
            guard case .object(let object) = vars else {
                throw InventoryError(
                    "You defined a group '\(name)' with bad data for variables: expected a dict, got \(vars.typeName)",
                    location: path.key("vars").location)
            }
            for (k, v) in object { try inventory.setVariable(name, k, v) }
        }

        if let children {
            let childrenPath = path.key("children")
            let names: [(String, JSONPath)]
            switch children {
            case .array(let list):
                names = try list.enumerated().map { (i, child) throws(InventoryError) in
                    guard case .string(let s) = child else {
                        throw InventoryError(
                            "Invalid group name supplied, expected a string but got \(child.typeName)",
                            location: childrenPath.index(i).location)
                    }
                    return (s, childrenPath.index(i))
                }
            case .object(let map):
                names = map.keys.map { ($0, childrenPath.key($0)) }
            default:
                throw InventoryError(
                    "children of group '\(name)' must be a list of group names, got \(children.typeName)",
                    location: childrenPath.location)
            }
            for (child, childPath) in names {
                do {
                    try inventory.addGroup(child)
                    try inventory.addChild(name, child)
                } catch {
                    throw InventoryError(error.message, location: childPath.location)
                }
            }
        }
    }
}
