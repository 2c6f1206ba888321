import Foundation
import InventoryModel

/// Pools: named inventories whose every import is a new immutable revision.
public struct PoolService: Sendable {
    let store: any Store
    let cache: RevisionCache

    /// Parses an inventory and stores it as the pool's next revision (creating the pool).
    ///
    /// Parsing happens before the transaction, so a bad inventory stores nothing and a large
    /// one holds the write lock only while its rows are written.
    public func importPool(name: String, text: consuming String, format: InventoryFormat?, sourceName: String? = nil)
        async throws -> (PoolInfo, created: Bool)
    {
        try Names.check(name, kind: "pool")
        let chosen = format ?? InventoryFormat.detect(text: text, fileName: sourceName)
        let inventory: Inventory
        do {
            inventory = try Inventory.read(text: text, format: chosen, source: sourceName ?? name)
        } catch {
            throw EngineError.invalidInventory(error)
        }
        _ = consume text  // the text is not needed past parsing; a 1M-host pool is ~250 MB of it
        guard !inventory.hosts.isEmpty else {
            throw EngineError.invalid("the inventory for pool \(name) has no hosts")
        }
        let hostRows = Self.hostRows(inventory)
        let groupRows = Self.groupRows(inventory)
        let result = try await store.write { tx -> (PoolInfo, Bool, Int) in
            let now = RFC3339.string(from: try tx.now())
            var created = false
            var poolId = try tx.int("SELECT id FROM pools WHERE name = ?" + tx.dialect.forUpdate, [.text(name)])
            if poolId == nil {
                try tx.execute(
                    "INSERT INTO pools (name, current_revision, created_at, updated_at) VALUES (?, 0, ?, ?)",
                    [.text(name), .text(now), .text(now)])
                poolId = try tx.int("SELECT id FROM pools WHERE name = ?", [.text(name)])
                created = true
            }
            let pid = poolId!
            let revision = (try tx.int("SELECT current_revision FROM pools WHERE id = ?", [SQLValue(pid)]) ?? 0) + 1
            try tx.execute(
                """
                INSERT INTO pool_revisions (pool_id, revision, format, host_count, group_count, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                [
                    SQLValue(pid), SQLValue(revision), .text(chosen.rawValue), SQLValue(inventory.hosts.count),
                    SQLValue(inventory.groups.count), .text(now),
                ])
            let revisionId = try tx.int(
                "SELECT id FROM pool_revisions WHERE pool_id = ? AND revision = ?",
                [SQLValue(pid), SQLValue(revision)])!
            try tx.insertMany(
                into: "pool_hosts", columns: ["revision_id", "idx", "name", "vars", "groups"],
                rows: hostRows.map { [SQLValue(revisionId)] + $0 })
            try tx.insertMany(
                into: "pool_groups",
                columns: ["revision_id", "idx", "name", "vars", "priority", "depth", "parents", "children", "hosts"],
                rows: groupRows.map { [SQLValue(revisionId)] + $0 })
            try tx.execute(
                "UPDATE pools SET current_revision = ?, updated_at = ? WHERE id = ?",
                [SQLValue(revision), .text(now), SQLValue(pid)])
            let info = try Self.poolInfo(tx, name: name)!
            return (info, created, revisionId)
        }
        cache.remember(inventory, result.2)
        return (result.0, result.1)
    }

    static func hostRows(_ inventory: Inventory) -> [[SQLValue]] {
        inventory.hosts.values.enumerated().map { (i, host) in
            [SQLValue(i), .text(host.name), JSONText.encode(host.vars), JSONText.encode(host.groupIndices)]
        }
    }

    static func groupRows(_ inventory: Inventory) -> [[SQLValue]] {
        inventory.groups.values.enumerated().map { (i, g) in
            [
                SQLValue(i), .text(g.name), JSONText.encode(g.vars), SQLValue(g.priority), SQLValue(g.depth),
                JSONText.encode(g.parentIndices), JSONText.encode(g.childIndices), JSONText.encode(g.hostIndices),
            ]
        }
    }

    static func poolInfo(_ tx: any StoreTransaction, name: String) throws -> PoolInfo? {
        guard
            let row = try tx.row(
                """
                SELECT p.name, p.current_revision, r.host_count, r.group_count, r.format, p.created_at, p.updated_at
                FROM pools p JOIN pool_revisions r ON r.pool_id = p.id AND r.revision = p.current_revision
                WHERE p.name = ?
                """, [.text(name)])
        else { return nil }
        return PoolInfo(
            name: try row.text("name"), revision: try row.int("current_revision"), hostCount: try row.int("host_count"),
            groupCount: try row.int("group_count"), format: try row.value("format", as: InventoryFormat.self),
            createdAt: try row.text("created_at"), updatedAt: try row.text("updated_at"))
    }

    /// One pool, or 404.
    public func pool(_ name: String) async throws -> PoolInfo {
        guard let info = try await store.read({ tx in try Self.poolInfo(tx, name: name) }) else {
            throw EngineError.notFound("pool", name)
        }
        return info
    }

    /// A page of pools, by name.
    public func pools(limit: Int, offset: Int) async throws -> Page<PoolInfo> {
        try await store.read { tx in
            let total = try tx.int("SELECT COUNT(*) FROM pools", []) ?? 0
            let names = try tx.rows(
                "SELECT name FROM pools ORDER BY name LIMIT ? OFFSET ?", [SQLValue(limit), SQLValue(offset)])
            let items = try names.compactMap { try Self.poolInfo(tx, name: try $0.text("name")) }
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    /// Deletes a pool and its revisions, unless an unfinished cursor still uses it.
    public func deletePool(_ name: String) async throws {
        let revisions = try await store.write { tx -> [Int] in
            guard let pid = try tx.int("SELECT id FROM pools WHERE name = ?" + tx.dialect.forUpdate, [.text(name)])
            else {
                throw EngineError.notFound("pool", name)
            }
            let users = try tx.rows(
                "SELECT name FROM cursors WHERE pool_id = ? AND state NOT IN ('done', 'aborted') ORDER BY name",
                [SQLValue(pid)]
            ).map { row throws(SQLRowError) in try row.text("name") }
            if !users.isEmpty {
                throw EngineError.conflict(
                    "pool_in_use",
                    "pool \(name) is used by unfinished cursor(s) \(users.joined(separator: ", ")); abort them or "
                        + "let them finish first"
                )
            }
            let revisions = try tx.rows("SELECT id FROM pool_revisions WHERE pool_id = ?", [SQLValue(pid)]).map {
                row throws(SQLRowError) in try row.int("id")
            }
            let cursorIds = try tx.rows("SELECT id FROM cursors WHERE pool_id = ?", [SQLValue(pid)]).map {
                row throws(SQLRowError) in try row.int("id")
            }
            for cid in cursorIds {
                for table in ["claim_keys", "batch_attempts", "batches", "cursor_plan"] {
                    try tx.execute("DELETE FROM \(table) WHERE cursor_id = ?", [SQLValue(cid)])
                }
                try tx.execute("DELETE FROM cursors WHERE id = ?", [SQLValue(cid)])
            }
            for rid in revisions {
                try tx.execute("DELETE FROM pool_hosts WHERE revision_id = ?", [SQLValue(rid)])
                try tx.execute("DELETE FROM pool_groups WHERE revision_id = ?", [SQLValue(rid)])
            }
            try tx.execute("DELETE FROM pool_revisions WHERE pool_id = ?", [SQLValue(pid)])
            try tx.execute("DELETE FROM pools WHERE id = ?", [SQLValue(pid)])
            return revisions
        }
        cache.forget(revisions)
    }

    /// The id of a pool's current revision, or 404.
    func currentRevisionId(_ tx: any StoreTransaction, pool: String) throws -> Int {
        guard
            let id = try tx.int(
                """
                SELECT r.id FROM pools p JOIN pool_revisions r ON r.pool_id = p.id AND r.revision = p.current_revision
                WHERE p.name = ?
                """, [.text(pool)])
        else { throw EngineError.notFound("pool", pool) }
        return id
    }

    /// A page of a pool's hosts (current revision), optionally those a `--limit` pattern selects.
    public func hosts(pool: String, pattern: String?, limit: Int, offset: Int) async throws -> Page<PoolHost> {
        let parsed: HostPattern?
        do { parsed = try pattern.map { p throws(InventoryError) in try HostPattern(p) } } catch {
            throw EngineError.invalid("\(error)")
        }
        let revisionId = try await store.read { tx in try currentRevisionId(tx, pool: pool) }
        let inventory = try await loadInventory(revisionId: revisionId)
        var selected: [Int]
        if let parsed {
            var warnings: [String] = []
            do { selected = try parsed.evaluate(in: inventory, warnings: &warnings) } catch {
                throw EngineError.invalid("\(error)")
            }
        } else {
            selected = Array(0..<inventory.hosts.count)
        }
        let slice = selected.dropFirst(offset).prefix(limit)
        let items = slice.map { i in
            let host = inventory.hosts.values[i]
            return PoolHost(
                name: host.name, groups: host.groupIndices.map { inventory.groups.keys[$0] }, vars: host.vars)
        }
        return Page(items: items, total: selected.count, limit: limit, offset: offset)
    }

    /// A revision of the pool (the current one by default) as inventory-script JSON.
    public func inventoryJSON(pool: String, revision: Int?, form: InventoryForm = .export) async throws -> String {
        let revisionId = try await store.read { tx -> Int in
            guard let revision else { return try currentRevisionId(tx, pool: pool) }
            guard
                let id = try tx.int(
                    """
                    SELECT r.id FROM pools p JOIN pool_revisions r ON r.pool_id = p.id WHERE p.name = ? AND
                      r.revision = ?
                    """, [.text(pool), SQLValue(revision)])
            else { throw EngineError.notFound("revision of pool \(pool)", String(revision)) }
            return id
        }
        return try await loadInventory(revisionId: revisionId).scriptJSONText(form: form)
    }

    /// A stored revision as an ``Inventory``, read once and then served from the cache.
    func loadInventory(revisionId: Int) async throws -> Inventory {
        let cache = self.cache
        return try await store.read { tx in
            try cache.inventory(revisionId) { try RevisionLoader.inventory(tx, revisionId: revisionId) }
        }
    }
}

/// Checks names of pools, cursors and tokens: they appear in URLs and shell commands.
enum Names {
    static func check(_ name: String, kind: String) throws {
        let ok =
            !name.isEmpty && name.count <= 200
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F || b == 0x2E
            } && name.first != "."
        if !ok {
            throw EngineError.invalid(
                "invalid \(kind) name \"\(name)\": use 1-200 letters, digits, '-', '_' or '.', not starting with '.'")
        }
    }
}
