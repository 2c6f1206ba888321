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
        let table = BatchPayload.batchGroups(hosts: hosts, table: groups)
        writer.write(.object(JSONObject(uniqueKeysWithValues: table.map { ($0.key, $0.value.wireJSON) })), into: &out)
        out.append(contentsOf: #", "hosts": "#.utf8)
        writer.write(.array(self.hosts.map(JSONValue.string)), into: &out)
        out.append(contentsOf: #", "hostvars": {"#.utf8)
        var first = true
        for host in hosts {
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
        var order: [Key] = []
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
            var evicted = 0
            while e.bytes > capacityBytes, evicted < e.order.count {
                if let old = e.byKey.removeValue(forKey: e.order[evicted]) { e.bytes -= old.members.count }
                evicted += 1
            }
            if evicted > 0 { e.order.removeFirst(evicted) }
        }
        return built
    }
}
