import InventoryModel
import Synchronization

/// The groups of one pool revision: small, immutable, and needed by every claim answer.
public struct GroupTable: Sendable {
    public var names: [String]
    public var vars: [JSONObject]
    public var priorities: [Int?]
    public var parents: [[Int]]
    public var children: [[Int]]
    /// Each group's vars as the API writes them (`ansible_group_priority` included when not
    /// 1), compact JSON, encoded once per revision by ``encodeWireVars()``.
    var wireVars: [[UInt8]] = []

    /// The vars of group `g` as the API shows them.
    func apiVars(_ g: Int) -> JSONObject {
        var vars = self.vars[g]
        if let p = priorities[g], p != 1 { vars["ansible_group_priority"] = .int(p) }
        return vars
    }

    mutating func encodeWireVars() {
        let writer = JSONWriter(indent: nil, sortKeys: true)
        wireVars = names.indices.map { g in
            var bytes: [UInt8] = []
            writer.write(.object(apiVars(g)), into: &bytes)
            return bytes
        }
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
final class RevisionCache: Sendable {
    private let groupTables = Mutex<[Int: GroupTable]>([:])
    private let inventories = Mutex<[(Int, Inventory)]>([])
    private let inventoryCapacity = 2

    func groupTable(_ revisionId: Int, load: () throws -> GroupTable) rethrows -> GroupTable {
        if let cached = groupTables.withLock({ $0[revisionId] }) { return cached }
        let table = try load()
        groupTables.withLock { tables in
            if tables.count > 64 { tables.removeAll() }
            tables[revisionId] = table
        }
        return table
    }

    func inventory(_ revisionId: Int, load: () throws -> Inventory) rethrows -> Inventory {
        if let cached = inventories.withLock({ $0.first { $0.0 == revisionId }?.1 }) { return cached }
        let inventory = try load()
        remember(inventory, revisionId)
        return inventory
    }

    func remember(_ inventory: Inventory, _ revisionId: Int) {
        inventories.withLock { list in
            list.removeAll { $0.0 == revisionId }
            list.insert((revisionId, inventory), at: 0)
            if list.count > inventoryCapacity { list.removeLast() }
        }
    }

    func forget(_ revisionIds: [Int]) {
        groupTables.withLock { tables in for id in revisionIds { tables[id] = nil } }
        inventories.withLock { list in list.removeAll { revisionIds.contains($0.0) } }
    }
}
