import InventoryModel

/// The groups of one pool revision: small, immutable, and needed by every claim answer.
public struct GroupTable: Sendable {
    public var names: [String]
    public var vars: [JSONObject]
    public var priorities: [Int?]
    public var parents: [[Int]]
    public var children: [[Int]]
    /// The vars of group `g` as the API shows them.
    func apiVars(_ g: Int) -> JSONObject {
        var vars = self.vars[g]
        if let p = priorities[g], p != 1 { vars["ansible_group_priority"] = .int(p) }
        return vars
    }

    /// A group and every ancestor of it, each once.
    func closure(of direct: some Sequence<Int>) -> Set<Int> {
        var seen = Set<Int>()
        var stack = Array(direct)
        while let g = stack.popLast() {
            if g < names.count, seen.insert(g).inserted { stack.append(contentsOf: parents[g]) }
        }
        return seen
    }
}

/// Keeps what was read of immutable pool revisions, so claims do not re-read them.
///
/// Revisions never change once written, so a cached copy is never stale, on any replica.
/// Whole inventories are large (a million hosts is gigabytes), so only the last two are kept.
final class RevisionCache: Sendable {
    private let groupTables = BoundedCache<Int, GroupTable>(capacity: 64)
    private let inventories = BoundedCache<Int, Inventory>(capacity: 2)

    func groupTable(_ revisionId: Int, load: () throws -> GroupTable) rethrows -> GroupTable {
        try groupTables.value(for: revisionId, make: load)
    }

    func inventory(_ revisionId: Int, load: () throws -> Inventory) rethrows -> Inventory {
        try inventories.value(for: revisionId, make: load)
    }

    func remember(_ inventory: Inventory, _ revisionId: Int) {
        inventories.insert(inventory, for: revisionId)
    }

    func forget(_ revisionIds: [Int]) {
        for id in revisionIds {
            groupTables.removeValue(for: id)
            inventories.removeValue(for: id)
        }
    }
}
