/// The order in which hosts are put into batches: Ansible's play keyword `order`.
public enum HostOrder: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// As the hosts were selected (Ansible's default).
    case inventory
    /// The selection reversed.
    case reverseInventory = "reverse_inventory"
    /// By name, in code point order, as Python's `sorted` on `str`.
    case sorted
    /// By name, descending.
    case reverseSorted = "reverse_sorted"
    /// A seeded permutation (see ``SeededShuffle``). Ansible's `shuffle` uses Python's global
    /// `random` and differs on every run; here the seed makes it repeatable.
    case shuffle

    public var description: String { rawValue }

    /// Parses a raw value, with Ansible's message for anything else.
    public init(parsing text: String) throws(InventoryError) {
        guard let order = HostOrder(rawValue: text) else {
            throw InventoryError(
                "Invalid 'order' specified for inventory hosts: \(text) (expected one of: "
                    + HostOrder.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        self = order
    }

    /// `hostIndices` (a selection from `inventory`) in this order. `seed` is used by `shuffle` only.
    public func apply(to hostIndices: [Int], in inventory: Inventory, seed: String) -> [Int] {
        switch self {
        case .inventory:
            return hostIndices
        case .reverseInventory:
            return hostIndices.reversed()
        case .sorted, .reverseSorted:
            // Names are unique, so sort stability does not matter; compare UTF-8 bytes, which
            // orders like code points.
            let names = inventory.hosts.keys
            var sorted = hostIndices.sorted { codePointLess(names[$0], names[$1]) }
            if self == .reverseSorted { sorted.reverse() }
            return sorted
        case .shuffle:
            var shuffled = hostIndices
            var generator = SeededShuffle(seed: seed)
            generator.shuffle(&shuffled)
            return shuffled
        }
    }
}
