import OrderedCollections

/// A host of an inventory: its name and the variables set on it directly.
public struct Host: Sendable, Hashable {
    /// The inventory hostname.
    public let name: String
    /// Variables set on the host itself (host vars), in the order they were set.
    public var vars: JSONObject
    /// Indices (into ``Inventory/groups``) of the groups the host is a direct member of.
    public internal(set) var groupIndices: [Int]
}

/// A group of an inventory: direct hosts, child groups, parents and group vars.
public struct Group: Sendable, Hashable {
    /// The group name.
    public let name: String
    /// Variables set on the group, in the order they were set.
    public var vars: JSONObject
    /// `ansible_group_priority`: Ansible keeps it out of the vars and uses it to order merges.
    public var priority: Int?
    /// Distance from `all`, as Ansible tracks it for variable precedence.
    public internal(set) var depth: Int
    /// Indices (into ``Inventory/hosts``) of the hosts directly in this group.
    public internal(set) var hostIndices: OrderedSet<Int>
    /// Indices of the direct child groups, in the order they were added.
    public internal(set) var childIndices: OrderedSet<Int>
    /// Indices of the direct parent groups, in the order they were added.
    public internal(set) var parentIndices: OrderedSet<Int>
}

/// An Ansible inventory with ansible-core's `InventoryData` semantics.
///
/// Hosts keep the order in which they were first added ("inventory order"). Groups `all` and
/// `ungrouped` always exist; ``reconcile()`` makes every parentless group a child of `all` and
/// puts hosts that are in no other group into `ungrouped`, as ansible-core does after each
/// source is parsed. Readers build inventories through ``addGroup(_:)``, ``addHost(_:group:port:)``,
/// ``addChild(_:_:)`` and ``setVariable(_:_:_:)``, which fail where ansible-core fails.
public struct Inventory: Sendable, Hashable {
    /// Hosts in inventory order, by name.
    public private(set) var hosts: OrderedDictionary<String, Host> = [:]
    /// Groups in the order they were created, by name; `all` and `ungrouped` come first.
    public private(set) var groups: OrderedDictionary<String, Group> = [:]
    /// What a reader skipped or doubted where Ansible would print a `[WARNING]` and go on.
    public var warnings: [String] = []

    /// The index of `all` in ``groups``.
    public static let allIndex = 0
    /// The index of `ungrouped` in ``groups``.
    public static let ungroupedIndex = 1

    /// An empty inventory: `all` with its child `ungrouped`.
    public init() {
        _ = insertGroup("all")
        _ = insertGroup("ungrouped")
        try! addChild("all", "ungrouped")
    }

    // MARK: Building

    /// Adds a group if it is not there yet; returns its name.
    @discardableResult
    public mutating func addGroup(_ name: String) throws(InventoryError) -> String {
        guard !name.isEmpty else { throw InventoryError("Invalid empty/false group name provided: \(name)") }
        if groups[name] == nil { _ = insertGroup(name) }
        return name
    }

    private mutating func insertGroup(_ name: String) -> Int {
        let group = Group(
            name: name, vars: [:], priority: nil, depth: 0, hostIndices: [], childIndices: [], parentIndices: [])
        return groups.updateValue(group, forKey: name, insertingAt: groups.count).index
    }

    /// Adds a host if it is not there yet, and to `group` when one is named.
    ///
    /// A port (from `host:port`) becomes `ansible_port` when the host is first seen, as in Ansible.
    public mutating func addHost(_ name: String, group: String? = nil, port: Int? = nil) throws(InventoryError) {
        guard !name.isEmpty else { throw InventoryError("Invalid empty host name provided: \(name)") }
        var groupIndex: Int?
        if let group, !group.isEmpty {
            guard let gi = groups.index(forKey: group) else {
                throw InventoryError("Could not find group \(group) in inventory")
            }
            groupIndex = gi
        }
        let hostIndex: Int
        if let existing = hosts.index(forKey: name) {
            hostIndex = existing
        } else {
            var vars = JSONObject()
            if let port, port != 0 { vars["ansible_port"] = .int(port) }
            hostIndex =
                hosts.updateValue(
                    Host(name: name, vars: vars, groupIndices: []), forKey: name, insertingAt: hosts.count
                ).index
        }
        if let groupIndex { addHost(at: hostIndex, toGroupAt: groupIndex) }
    }

    private mutating func addHost(at hostIndex: Int, toGroupAt groupIndex: Int) {
        let (inserted, _) = groups.values[groupIndex].hostIndices.append(hostIndex)
        if inserted { hosts.values[hostIndex].groupIndices.append(groupIndex) }
    }

    /// Makes `child` (a group, or else a host) a member of `group`.
    public mutating func addChild(_ group: String, _ child: String) throws(InventoryError) {
        guard let parentIndex = groups.index(forKey: group) else {
            throw InventoryError("\(group) is not a known group")
        }
        if let childIndex = groups.index(forKey: child) {
            try addChildGroup(childIndex, to: parentIndex)
        } else if let hostIndex = hosts.index(forKey: child) {
            addHost(at: hostIndex, toGroupAt: parentIndex)
        } else {
            throw InventoryError("\(child) is not a known host nor group")
        }
    }

    private mutating func addChildGroup(_ childIndex: Int, to parentIndex: Int) throws(InventoryError) {
        if childIndex == parentIndex {
            throw InventoryError("can't add group to itself: \(groups.keys[childIndex])")
        }
        if groups.values[parentIndex].childIndices.contains(childIndex) { return }
        if ancestorIndices(ofGroup: parentIndex).contains(childIndex) {
            throw InventoryError(
                "Adding group '\(groups.keys[childIndex])' as child to '\(groups.keys[parentIndex])' creates a "
                    + "recursive dependency loop."
            )
        }
        groups.values[parentIndex].childIndices.append(childIndex)
        groups.values[childIndex].parentIndices.append(parentIndex)
        // Depth only grows, as in ansible-core's Group.add_child_group/_check_children_depth.
        var frontier = [(childIndex, groups.values[parentIndex].depth + 1)]
        while let (index, depth) = frontier.popLast() {
            guard groups.values[index].depth < depth else { continue }
            groups.values[index].depth = depth
            for grandchild in groups.values[index].childIndices { frontier.append((grandchild, depth + 1)) }
        }
    }

    /// Sets a variable on a group or, when no group has that name, on a host (groups win, as in Ansible).
    public mutating func setVariable(_ entity: String, _ key: String, _ value: JSONValue) throws(InventoryError) {
        if let gi = groups.index(forKey: entity) {
            if key == "ansible_group_priority" {
                guard let priority = Self.priority(from: value) else {
                    throw InventoryError(
                        "ansible_group_priority of group \(entity) must be an integer, got \(value.typeName)")
                }
                groups.values[gi].priority = priority
            } else {
                groups.values[gi].vars[key] = value
            }
        } else if let hi = hosts.index(forKey: entity) {
            hosts.values[hi].vars[key] = value
        } else {
            throw InventoryError("Could not identify group or host named \(entity)")
        }
    }

    /// Sets a variable on a host even when a group has the same name (``setVariable(_:_:_:)``
    /// would pick the group, as Ansible does); for rebuilding an inventory that was read before.
    public mutating func setHostVariable(_ host: String, _ key: String, _ value: JSONValue) throws(InventoryError) {
        guard let hi = hosts.index(forKey: host) else { throw InventoryError("Could not identify host named \(host)") }
        hosts.values[hi].vars[key] = value
    }

    /// Sets each of `vars` on a host, in order, as ``setHostVariable(_:_:_:)`` would one by one;
    /// a host with no vars yet takes the object over whole.
    public mutating func setHostVariables(_ host: String, _ vars: JSONObject) throws(InventoryError) {
        guard let hi = hosts.index(forKey: host) else { throw InventoryError("Could not identify host named \(host)") }
        if hosts.values[hi].vars.isEmpty {
            hosts.values[hi].vars = vars
        } else {
            for (key, value) in vars { hosts.values[hi].vars[key] = value }
        }
    }

    private static func priority(from value: JSONValue) -> Int? {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        // Python's int() truncates; a float beyond Int's range is refused rather than trapped on.
        case .double(let d) where d.isFinite: return Int(exactly: d.rounded(.towardZero))
        case .string(let s): return Int(s.trimmingSpaces())
        default: return nil
        }
    }

    /// Applies ansible-core's `reconcile_inventory`: parentless groups become children of
    /// `all`; hosts in no group but `all` go to `ungrouped`; hosts in another group leave it.
    ///
    /// Fails as ansible-core fails where `all` was made a child of a group: the parentless
    /// group above it cannot become a child of `all` without a loop.
    public mutating func reconcile() throws(InventoryError) {
        for gi in groups.values.indices where gi != Self.allIndex && groups.values[gi].parentIndices.isEmpty {
            try addChildGroup(gi, to: Self.allIndex)
        }
        // Per group: does it or an ancestor make a host a member of `ungrouped`, and of a group
        // other than `all` and `ungrouped`? A host's groups (Ansible's host.get_groups()) are its
        // direct groups and their ancestors, so these two flags per direct group decide.
        let groupCount = groups.count
        var reachesUngrouped = [Bool](repeating: false, count: groupCount)
        var reachesOther = [Bool](repeating: false, count: groupCount)
        for gi in 0..<groupCount {
            for g in [gi] + ancestorIndices(ofGroup: gi) {
                if g == Self.ungroupedIndex {
                    reachesUngrouped[gi] = true
                } else if g != Self.allIndex {
                    reachesOther[gi] = true
                }
            }
        }
        for hi in hosts.values.indices {
            var inUngrouped = false
            var inOther = false
            for g in hosts.values[hi].groupIndices {
                inUngrouped = inUngrouped || reachesUngrouped[g]
                inOther = inOther || reachesOther[g]
            }
            if inUngrouped {
                if inOther {
                    groups.values[Self.ungroupedIndex].hostIndices.remove(hi)
                    hosts.values[hi].groupIndices.removeAll { $0 == Self.ungroupedIndex }
                }
            } else if !inOther {
                addHost(at: hi, toGroupAt: Self.ungroupedIndex)
            }
        }
    }

    /// Moves collected hosts (see ``HostCollector``) into an inventory that has none yet.
    mutating func adoptHosts(_ collector: HostCollector) {
        precondition(hosts.isEmpty, "adoptHosts needs an inventory without hosts")
        hosts = OrderedDictionary(uncheckedUniqueKeys: collector.hostNames, values: collector.hosts)
        for (groupIndex, members) in collector.groupHosts.enumerated() where !members.isEmpty {
            precondition(groups.values[groupIndex].hostIndices.isEmpty, "adoptHosts needs groups without hosts")
            groups.values[groupIndex].hostIndices = OrderedSet(uncheckedUniqueElements: members)
        }
    }

    // MARK: Reading

    /// The host names in inventory order.
    public var hostNames: OrderedSet<String> { hosts.keys }

    /// Indices of every ancestor of a group (parents, their parents, ...), nearest first.
    public func ancestorIndices(ofGroup index: Int) -> OrderedSet<Int> {
        var result = OrderedSet<Int>()
        var queue = Array(groups.values[index].parentIndices)
        var cursor = 0
        while cursor < queue.count {
            let g = queue[cursor]
            cursor += 1
            if result.append(g).inserted { queue.append(contentsOf: groups.values[g].parentIndices) }
        }
        return result
    }

    /// A group and its descendants, breadth first, each level in the order children were added.
    ///
    /// ansible-core walks the same levels but through a `set`, so its order below the first
    /// level depends on Python's hash seed; this is the deterministic version of that walk.
    public func descendantIndices(ofGroup index: Int, includingSelf: Bool = true) -> OrderedSet<Int> {
        var result = OrderedSet<Int>()
        if includingSelf { result.append(index) }
        var queue = Array(groups.values[index].childIndices)
        var cursor = 0
        while cursor < queue.count {
            let g = queue[cursor]
            cursor += 1
            if result.append(g).inserted { queue.append(contentsOf: groups.values[g].childIndices) }
        }
        return result
    }

    /// Every host of a group and its descendants (Ansible's `Group.get_hosts()`), without duplicates.
    public func hostIndices(inGroup index: Int) -> OrderedSet<Int> {
        var result = OrderedSet<Int>()
        for g in descendantIndices(ofGroup: index) {
            for h in groups.values[g].hostIndices { result.append(h) }
        }
        return result
    }

    /// Every group a host belongs to, directly or through a child group, `all` included.
    public func allGroupIndices(ofHost index: Int) -> OrderedSet<Int> {
        var result = OrderedSet<Int>()
        for g in hosts.values[index].groupIndices {
            result.append(g)
            for a in ancestorIndices(ofGroup: g) { result.append(a) }
        }
        return result
    }

    /// A host's variables as Ansible resolves them from the inventory alone: group vars from
    /// `all` down (ordered by depth, then priority, then name), then the host's own vars.
    public func mergedVars(ofHost index: Int) -> JSONObject {
        let memberOf = allGroupIndices(ofHost: index).sorted { a, b in
            let ga = groups.values[a]
            let gb = groups.values[b]
            if ga.depth != gb.depth { return ga.depth < gb.depth }
            if (ga.priority ?? 1) != (gb.priority ?? 1) { return (ga.priority ?? 1) < (gb.priority ?? 1) }
            return codePointLess(ga.name, gb.name)
        }
        var vars = JSONObject()
        for g in memberOf {
            for (k, v) in groups.values[g].vars { vars[k] = v }
        }
        for (k, v) in hosts.values[index].vars { vars[k] = v }
        return vars
    }
}

extension String {
    func trimmingSpaces() -> Substring {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
