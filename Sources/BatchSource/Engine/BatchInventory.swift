import DequeModule
import InventoryModel
import Synchronization

/// What an inventory script prints of one batch (its hosts, their vars, their groups with
/// vars and parents) as the API writes it: the members `"groups"`, `"hosts"` and `"hostvars"`
/// of the batch object, encoded once.
///
/// A batch's hosts never change (its slice of the cursor's plan is fixed when it is made, and
/// the plan and the pool revision are immutable), so the encoding is kept and every re-read of
/// the batch (an AWX retry, the same update run again, `GET …/claim`) copies bytes instead of
/// re-reading and re-encoding thousands of hosts.
final class BatchInventory: Sendable {
    /// The batch's hosts in hand-out order.
    let hosts: [String]
    /// `"groups": {…}, "hosts": […], "hostvars": {…}`, compact, UTF-8.
    let members: [UInt8]

    init(hosts: [PlanHost], groups: GroupTable) {
        self.hosts = hosts.map(\.name)
        let writer = JSONWriter(indent: nil, sortKeys: true)
        var out: [UInt8] = []
        out.reserveCapacity(hosts.count * 96 + 1024)
        out.append(contentsOf: #""groups": "#.utf8)
        Self.writeGroups(of: hosts, table: groups, into: &out)
        out.append(contentsOf: #", "hosts": "#.utf8)
        writer.write(.array(self.hosts.map(JSONValue.string)), into: &out)
        out.append(contentsOf: #", "hostvars": {"#.utf8)
        var first = true
        // By name, as `ansible-inventory` prints `_meta.hostvars`: inventory-script then copies
        // them in the order they come (ClaimAnswerText) instead of sorting megabytes of text.
        for host in hosts.sorted(by: { codePointLess($0.name, $1.name) }) {
            // Stored vars are already compact JSON objects (``JSONText``): copied, not re-parsed.
            guard let vars = host.vars.text, vars != "{}" else { continue }
            if !first { out.append(contentsOf: ", ".utf8) }
            first = false
            JSONWriter.writeString(host.name, into: &out)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: vars.utf8)
        }
        out.append(UInt8(ascii: "}"))
        members = out
    }

    /// `{"name": {"children": […], "hosts": […], "vars": {…}}, …}` for the batch's groups and
    /// their ancestors, names in code point order, as ``BatchPayload/batchGroups(hosts:table:)``
    /// describes them; written directly, with each group's vars encoded once per revision.
    private static func writeGroups(of hosts: [PlanHost], table: GroupTable, into out: inout [UInt8]) {
        let relevant = table.closure(of: hosts.lazy.flatMap(\.groups) + [0])
        var members: [Int: [String]] = [:]
        for host in hosts {
            for g in host.groups where g < table.names.count { members[g, default: []].append(host.name) }
        }
        let ordered = relevant.sorted { codePointLess(table.names[$0], table.names[$1]) }
        out.append(UInt8(ascii: "{"))
        for (n, g) in ordered.enumerated() {
            if n > 0 { out.append(contentsOf: ", ".utf8) }
            JSONWriter.writeString(table.names[g], into: &out)
            out.append(contentsOf: #": {"children": ["#.utf8)
            var first = true
            for child in table.children[g] where relevant.contains(child) {
                if !first { out.append(contentsOf: ", ".utf8) }
                first = false
                JSONWriter.writeString(table.names[child], into: &out)
            }
            out.append(contentsOf: #"], "hosts": ["#.utf8)
            for (i, name) in (members[g] ?? []).enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                JSONWriter.writeString(name, into: &out)
            }
            out.append(contentsOf: #"], "vars": "#.utf8)
            if g < table.wireVars.count {
                out.append(contentsOf: table.wireVars[g])
            } else {
                JSONWriter(indent: nil, sortKeys: true).write(.object(table.apiVars(g)), into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The host vars and groups as values, for callers inside the process (the HTTP layer
    /// writes ``members`` instead).
    func decoded() throws -> (hostvars: [String: JSONObject], groups: [String: BatchGroup]) {
        guard case .object(let o) = try JSONParser.parse(bytes: [UInt8(ascii: "{")] + members + [UInt8(ascii: "}")]) else { return ([:], [:]) }
        var hostvars: [String: JSONObject] = [:]
        if case .object(let all)? = o["hostvars"] {
            for (name, value) in all { if case .object(let vars) = value { hostvars[name] = vars } }
        }
        var groups: [String: BatchGroup] = [:]
        if case .object(let all)? = o["groups"] {
            for (name, value) in all {
                guard case .object(let g) = value else { continue }
                groups[name] = BatchGroup(hosts: Self.strings(g["hosts"]), children: Self.strings(g["children"]),
                                          vars: { if case .object(let v)? = g["vars"] { return v } else { return [:] } }())
            }
        }
        return (hostvars, groups)
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let a)? = value else { return [] }
        return a.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
}

/// Keeps the encoded inventories of recently claimed batches, bounded by their total size.
///
/// Keyed by cursor id and batch number: cursor ids are never reused (AUTOINCREMENT on SQLite,
/// an identity column on PostgreSQL), so an entry can never describe another batch, on any
/// replica.
final class BatchInventoryCache: Sendable {
    private struct Key: Hashable { var cursorId: Int; var batchId: Int }
    private struct Entries {
        var byKey: [Key: BatchInventory] = [:]
        /// Oldest first; a deque, since every insert past the bound drops from the front.
        var order: Deque<Key> = []
        var bytes = 0
    }
    private let entries = Mutex(Entries())
    let capacityBytes: Int

    init(capacityBytes: Int = 64 << 20) {
        self.capacityBytes = capacityBytes
    }

    func inventory(cursorId: Int, batchId: Int, build: () async throws -> BatchInventory) async throws -> BatchInventory {
        let key = Key(cursorId: cursorId, batchId: batchId)
        if let hit = entries.withLock({ $0.byKey[key] }) { return hit }
        let built = try await build()
        // Batches larger than a quarter of the cache are rebuilt each time rather than
        // flushing everything else out.
        guard built.members.count <= capacityBytes / 4 else { return built }
        entries.withLock { e in
            guard e.byKey[key] == nil else { return }
            e.byKey[key] = built
            e.order.append(key)
            e.bytes += built.members.count
            while e.bytes > capacityBytes, let oldest = e.order.popFirst() {
                if let old = e.byKey.removeValue(forKey: oldest) { e.bytes -= old.members.count }
            }
        }
        return built
    }
}
