import OrderedCollections

/// What every writer of `ansible-inventory --list` text (the stream writer, the claim answer's
/// text road) spells the same way: the order of the top-level members and `_meta`.
enum ScriptJSONLayout {
    /// The top-level members as printed: the `reached` groups that have an entry, and `nil`
    /// for `_meta` (which replaces a group of that name), by name in code point order.
    static func members(of inventory: Inventory, reached: OrderedSet<Int>, hasEntry: (Int) -> Bool) -> [Int?] {
        let groups = inventory.groups
        var members: [Int?] = reached.filter { hasEntry($0) && groups.keys[$0] != "_meta" }
        members.append(nil)
        let name = { (member: Int?) -> String in member.map { groups.keys[$0] } ?? "_meta" }
        members.sort { codePointLess(name($0), name($1)) }
        return members
    }

    /// `"_meta": {` and `"hostvars": ` at level 2: what comes before the host vars.
    static func openMeta(into out: inout [UInt8]) {
        out.append(contentsOf: "\"_meta\": {".utf8)
        JSONWriter().newline(2, into: &out)
        out.append(contentsOf: "\"hostvars\": ".utf8)
    }

    /// `"profile": "inventory_legacy"` and the end of `_meta`: what follows the host vars.
    static func closeMeta(into out: inout [UInt8]) {
        let writer = JSONWriter()
        out.append(UInt8(ascii: ","))
        writer.newline(2, into: &out)
        // ansible-core 2.19 names the JSON profile; older versions ignore the key.
        out.append(contentsOf: "\"profile\": \"inventory_legacy\"".utf8)
        writer.newline(1, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
