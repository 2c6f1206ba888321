import InventoryModel

extension CursorService {
    /// A page of a cursor's batches, by number, optionally in one state (as readers see it:
    /// a lease that ran out counts as available).
    public func batches(_ cursor: String, state: BatchState?, limit: Int, offset: Int) async throws -> Page<BatchInfo> {
        try await store.read { tx in
            let (c, clock) = try CursorRow.loadWithClock(tx, name: cursor)
            let now = clock.timeIntervalSince1970
            let effective = "CASE WHEN state = 'leased' AND lease_expires_at <= ? THEN 'available' ELSE state END"
            var filter = "WHERE cursor_id = ?"
            var args: [SQLValue] = [SQLValue(c.id)]
            if let state {
                filter += " AND \(effective) = ?"
                args += [.double(now), .text(state.rawValue)]
            }
            let total = try tx.int("SELECT COUNT(*) FROM batches \(filter)", args) ?? 0
            let rows = try tx.rows(
                "SELECT \(BatchRow.columns) FROM batches \(filter) ORDER BY batch_id LIMIT ? OFFSET ?",
                args + [SQLValue(limit), SQLValue(offset)])
            let items = try rows.map { row in
                let b = try BatchRow(row)
                let hosts = try PlanQuery.hosts(
                    tx, cursorId: c.id, revisionId: c.revisionId, start: b.startPosition, count: b.hostCount)
                return try BatchPayload.info(b, hosts: hosts, now: now, groups: nil)
            }
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }

    /// One batch with its hosts, inventory and results, or 404.
    public func batch(_ cursor: String, id: Int) async throws -> BatchInfo {
        let cache = self.cache
        return try await store.read { tx in
            let (c, clock) = try CursorRow.loadWithClock(tx, name: cursor)
            let now = clock.timeIntervalSince1970
            guard let b = try BatchRow.load(tx, cursorId: c.id, batchId: id) else {
                throw EngineError.notFound("batch of cursor \(cursor)", String(id))
            }
            let groups = try cache.groupTable(c.revisionId) {
                try RevisionLoader.groupTable(tx, revisionId: c.revisionId)
            }
            let hosts = try PlanQuery.hosts(
                tx, cursorId: c.id, revisionId: c.revisionId, start: b.startPosition, count: b.hostCount)
            return try BatchPayload.info(b, hosts: hosts, now: now, groups: groups)
        }
    }

    /// A page of a cursor's hosts in plan order with their batch and result; `status` filters
    /// by result, and `pending` selects hosts with no result yet.
    public func hosts(_ cursor: String, status: HostStatus?, pendingOnly: Bool = false, limit: Int, offset: Int)
        async throws -> Page<CursorHost>
    {
        try await store.read { tx in
            let c = try CursorRow.load(tx, name: cursor)
            var filter = "WHERE p.cursor_id = ?"
            var args: [SQLValue] = [SQLValue(c.id)]
            if let status { filter += " AND p.status = ?"; args.append(.text(status.rawValue)) }
            if pendingOnly { filter += " AND p.status IS NULL" }
            let total = try tx.int("SELECT COUNT(*) FROM cursor_plan p \(filter)", args) ?? 0
            // A host's batch: batches cover the plan from position 0 up to next_position in
            // order, without gaps, so it is the last batch starting at or before the host's
            // position (one step on batches_by_start); past next_position there is none yet.
            let rows = try tx.rows(
                """
                SELECT h.name, p.position, p.status, CASE WHEN p.position < ? THEN (SELECT b.batch_id FROM batches b
                  WHERE b.cursor_id = p.cursor_id AND b.start_position <= p.position ORDER BY b.start_position DESC
                    LIMIT 1) END AS batch_id
                FROM cursor_plan p JOIN pool_hosts h ON h.revision_id = ? AND h.idx = p.host_idx
                \(filter) ORDER BY p.position LIMIT ? OFFSET ?
                """, [SQLValue(c.nextPosition), SQLValue(c.revisionId)] + args + [SQLValue(limit), SQLValue(offset)])
            let items = try rows.map { row throws(SQLRowError) in
                CursorHost(
                    name: try row.text("name"), position: try row.int("position"), batchId: try row["batch_id"].int,
                    status: try row["status"].text.flatMap(HostStatus.init(rawValue:)))
            }
            return Page(items: items, total: total, limit: limit, offset: offset)
        }
    }
}
