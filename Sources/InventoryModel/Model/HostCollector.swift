import OrderedCollections

/// The hosts of an inventory being read, gathered apart from it and moved in at once with
/// ``Inventory/adoptHosts(_:)``: for a million hosts this is several times faster than
/// ``Inventory/addHost(_:group:port:)`` host by host (see ``StringIndex``).
///
/// Memberships follow ``Inventory``'s rules: a host joins a group once, and its group list and
/// the group's host list stay in the order of first membership.
struct HostCollector {
    private(set) var names = StringIndex()
    var hosts: [Host] = []
    /// Per group index, the hosts added to it, in order.
    private(set) var groupHosts: [[Int]] = []

    /// Makes room for `count` hosts in all.
    mutating func reserveCapacity(_ count: Int) {
        names.reserveCapacity(count)
        hosts.reserveCapacity(count)
    }

    /// The host's index, if it was added.
    func index(of name: String) -> Int? { names.index(of: name) }

    /// Adds a host (if new) to the group at `groupIndex`; returns the host's index.
    @discardableResult
    mutating func add(_ name: String, toGroupAt groupIndex: Int) throws(InventoryError) -> Int {
        guard !name.isEmpty else { throw InventoryError("Invalid empty host name provided: \(name)") }
        let (inserted, hostIndex) = names.insert(name)
        if inserted { hosts.append(Host(name: name, vars: [:], groupIndices: [])) }
        if groupHosts.count <= groupIndex { groupHosts.append(contentsOf: repeatElement([], count: groupIndex + 1 - groupHosts.count)) }
        if !hosts[hostIndex].groupIndices.contains(groupIndex) {
            hosts[hostIndex].groupIndices.append(groupIndex)
            groupHosts[groupIndex].append(hostIndex)
        }
        return hostIndex
    }
}
