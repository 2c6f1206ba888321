/// Lookups host patterns and planning need on large inventories.
extension Inventory {
    /// The index of the host with exactly this name, code point for code point as Python
    /// compares dict keys (Swift's `==` on strings would also accept canonical equivalents).
    func hostIndex(exactly name: String) -> Int? {
        guard let h = hosts.index(forKey: name), hosts.keys[h].utf8.elementsEqual(name.utf8) else { return nil }
        return h
    }

    func groupIndex(exactly name: String) -> Int? {
        guard let g = groups.index(forKey: name), groups.keys[g].utf8.elementsEqual(name.utf8) else { return nil }
        return g
    }

    /// The same hosts in the same order as ``hostIndices(inGroup:)``, appended to `out`.
    ///
    /// Deduplicates with a bitmap instead of an `OrderedSet`: hashing a million host indices
    /// costs most of a second, and `all` of a large pool is the common case.
    func appendHostIndices(inGroup index: Int, to out: inout [Int], seen: inout [Bool]) {
        let start = out.count
        for g in descendantIndices(ofGroup: index) {
            for h in groups.values[g].hostIndices where !seen[h] {
                seen[h] = true
                out.append(h)
            }
        }
        // Leave `seen` clear for the next group.
        for h in out[start...] { seen[h] = false }
    }
}
