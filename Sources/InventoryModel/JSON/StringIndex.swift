/// Distinct strings in the order they were first added, each with its position: a hash index
/// built for a million keys.
///
/// `OrderedSet<String>` keeps only positions in its table, so every probe compares strings,
/// each a pointer chase to a heap buffer, several cache misses per lookup with a million host
/// names. Here each slot also keeps 32 bits
/// of the hash, so a lookup compares a string only when those bits match (almost always the
/// string sought). Equality and hashing are `String`'s own (canonical equivalence), so the keys
/// can become an `OrderedSet`/`OrderedDictionary` afterwards with `uncheckedUnique` initializers.
struct StringIndex {
    /// The strings, in the order they were added; positions are indices into this array.
    private(set) var keys: ContiguousArray<String> = []
    /// `hashes[i]` is `keys[i].hashValue`, kept for growing the table without rehashing strings.
    private var hashes: ContiguousArray<Int> = []
    /// Open addressing, linear probing: 0 is empty, else the high 32 bits of the hash and
    /// (position + 1) in the low 32 bits.
    private var slots: [UInt64] = []
    private var mask = 0

    init(minimumCapacity: Int = 0) {
        keys.reserveCapacity(minimumCapacity)
        hashes.reserveCapacity(minimumCapacity)
        resize(slotCount: Self.slotCount(for: minimumCapacity))
    }

    /// Starts from strings that are already distinct (e.g. an `OrderedSet`'s elements).
    init(uniqueKeys: some Sequence<String>, count: Int) {
        self.init(minimumCapacity: count)
        for key in uniqueKeys { _ = insert(key) }
    }

    var count: Int { keys.count }

    /// Makes room for `count` keys in all without growing the table on the way.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        hashes.reserveCapacity(count)
        if count * 2 > slots.count { resize(slotCount: Self.slotCount(for: count)) }
    }

    /// The position of `key`, if it was added.
    func index(of key: String) -> Int? {
        find(key, hash: key.hashValue).index
    }

    /// Adds `key` if it is new; returns its position and whether it was added.
    @discardableResult
    mutating func insert(_ key: String) -> (inserted: Bool, index: Int) {
        let hash = key.hashValue
        let (existing, slot) = find(key, hash: hash)
        if let existing { return (false, existing) }
        let index = keys.count
        keys.append(key)
        hashes.append(hash)
        slots[slot] = Self.slotValue(hash: hash, index: index)
        if keys.count * 2 > slots.count { resize(slotCount: slots.count * 2) }
        return (true, index)
    }

    private func find(_ key: String, hash: Int) -> (index: Int?, slot: Int) {
        let tag = UInt64(UInt(bitPattern: hash)) >> 32
        var slot = hash & mask
        while true {
            let value = slots[slot]
            if value == 0 { return (nil, slot) }
            if value >> 32 == tag {
                let index = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1
                if keys[index] == key { return (index, slot) }
            }
            slot = (slot + 1) & mask
        }
    }

    private static func slotValue(hash: Int, index: Int) -> UInt64 {
        precondition(index < 0xFFFF_FFFF, "more than 4 billion keys")
        return (UInt64(UInt(bitPattern: hash)) >> 32) << 32 | UInt64(index + 1)
    }

    /// A power of two at least twice `count` (at most half full).
    private static func slotCount(for count: Int) -> Int {
        var n = 16
        while n < count * 2 { n *= 2 }
        return n
    }

    private mutating func resize(slotCount: Int) {
        slots = [UInt64](repeating: 0, count: slotCount)
        mask = slotCount - 1
        for (index, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.slotValue(hash: hash, index: index)
        }
    }
}
