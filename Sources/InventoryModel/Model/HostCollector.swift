import OrderedCollections

/// The hosts of an inventory being read, gathered apart from it and moved in at once with
/// ``Inventory/adoptHosts(_:)``, so that a million hosts are not indexed one by one through
/// ``Inventory/addHost(_:group:port:)`` (see ``StringIndex``).
///
/// Memberships follow ``Inventory``'s rules: a host joins a group once, and its group list and
/// the group's host list stay in the order of first membership.
struct HostCollector {
    /// Every name looked up: the names the collector started with (e.g. the `_meta.hostvars`
    /// keys), then each new host name.
    private(set) var names: StringIndex
    /// Per name position, the index of the host of that name, or -1.
    private var hostOfName: [Int]
    /// Per host, its name as first written in a group (the spelling the inventory keeps).
    private(set) var hostNames: ContiguousArray<String> = []
    /// Per host, its position in ``names``.
    private(set) var nameOfHost: [Int] = []
    var hosts: [Host] = []
    /// Per group index, the hosts added to it, in order.
    private(set) var groupHosts: [[Int]] = []

    /// A collector whose name index starts with `names`, none of them a host yet.
    init(names: StringIndex = StringIndex()) {
        self.names = names
        hostOfName = [Int](repeating: -1, count: names.count)
        hosts.reserveCapacity(names.count)
        hostNames.reserveCapacity(names.count)
        nameOfHost.reserveCapacity(names.count)
    }

    /// Adds a host (if new) to the group at `groupIndex`; returns the host's index.
    @discardableResult
    mutating func add(_ name: String, toGroupAt groupIndex: Int) throws(InventoryError) -> Int {
        guard !name.isEmpty else { throw InventoryError("Invalid empty host name provided: \(name)") }
        let (inserted, nameIndex) = names.insert(name)
        if inserted { hostOfName.append(-1) }
        var hostIndex = hostOfName[nameIndex]
        if hostIndex < 0 {
            hostIndex = hosts.count
            hostOfName[nameIndex] = hostIndex
            hosts.append(Host(name: name, vars: [:], groupIndices: []))
            hostNames.append(name)
            nameOfHost.append(nameIndex)
        }
        if groupHosts.count <= groupIndex {
            groupHosts.append(contentsOf: repeatElement([], count: groupIndex + 1 - groupHosts.count))
        }
        if !hosts[hostIndex].groupIndices.contains(groupIndex) {
            hosts[hostIndex].groupIndices.append(groupIndex)
            groupHosts[groupIndex].append(hostIndex)
        }
        return hostIndex
    }
}
