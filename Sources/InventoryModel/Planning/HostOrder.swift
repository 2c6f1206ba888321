import OrderedCollections

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
            var sorted = Self.sortedByName(hostIndices, names: inventory.hosts.keys)
            if self == .reverseSorted { sorted.reverse() }
            return sorted
        case .shuffle:
            var shuffled = hostIndices
            var generator = SeededShuffle(seed: seed)
            generator.shuffle(&shuffled)
            return shuffled
        }
    }

    /// Sorts by the first 16 UTF-8 bytes first (zero-padded, which orders like the full
    /// comparison), so that only names sharing those bytes need a full comparison: sorting a
    /// million names by string comparison alone takes seconds.
    static func sortedByName(_ indices: [Int], names: OrderedSet<String>) -> [Int] {
        struct Key { var high: UInt64; var low: UInt64; var index: Int }
        var keys = indices.map { index -> Key in
            var name = names[index]
            return name.withUTF8 { bytes in
                var high: UInt64 = 0, low: UInt64 = 0
                for i in 0..<16 {
                    let byte = UInt64(i < bytes.count ? bytes[i] : 0)
                    if i < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
                }
                return Key(high: high, low: low, index: index)
            }
        }
        keys.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return utf8Less(names[a.index], names[b.index])
        }
        return keys.map(\.index)
    }

    /// ``codePointLess`` over contiguous UTF-8, which compares bytes instead of decoding scalars.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                let n = min(pa.count, pb.count)
                var i = 0
                while i < n {
                    if pa[i] != pb[i] { return pa[i] < pb[i] }
                    i += 1
                }
                return pa.count < pb.count
            }
        }
    }
}
