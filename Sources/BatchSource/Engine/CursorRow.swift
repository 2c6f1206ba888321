import Foundation
import InventoryModel

/// A cursor as stored: settings, state, where the plan stands and the running counts.
struct CursorRow: Sendable {
    var id: Int
    var name: String
    var pool: String
    var revisionId: Int
    var poolRevision: Int
    var settings: CursorSettings
    var state: CursorState
    var stateReason: String?
    var retryOf: String?
    var totalHosts: Int
    /// The first plan position not yet in any batch.
    var nextPosition: Int
    /// The number the next new batch gets.
    var nextBatch: Int
    var counts: [HostStatus: Int]
    var batchesCompleted: Int
    /// Where each tier's positions end; one tier ending at ``totalHosts`` without tiers.
    var tierEnds: [Int]
    /// The number of the batch that opened the tier ``nextPosition`` is in.
    var tierFirstBatch: Int
    /// When a batch last completed (a bake time counts from it).
    var lastCompletedAt: Double?
    /// What new batches wait for now, as last written to the audit trail.
    var waitingFor: String?
    /// The number of the cursor's last event.
    var eventSeq: Int
    var createdAt: String
    var updatedAt: String
    /// The settings as stored, so an unchanged cursor is saved without encoding them again.
    private var storedSettings: (text: String, value: CursorSettings)

    var hostsDone: Int { counts.values.reduce(0, +) }
    var hostsFailed: Int { (counts[.failed] ?? 0) + (counts[.unreachable] ?? 0) }
    var hasMore: Bool { hostsDone < totalHosts }

    /// The columns ``init(_:)`` reads, for a SELECT from `cursors c` with ``joins``.
    static let columns = """
        c.id, c.name, p.name AS pool, c.revision_id, r.revision AS pool_revision, c.settings, c.state, c.state_reason,
        c.retry_of, c.total_hosts, c.next_position, c.next_batch, c.hosts_ok, c.hosts_changed, c.hosts_failed,
        c.hosts_unreachable, c.hosts_skipped, c.batches_completed, c.tier_ends, c.tier_first_batch,
        c.last_completed_at, c.waiting_for, c.event_seq, c.created_at, c.updated_at
        """
    /// The pool and revision that ``columns`` name.
    static let joins = "JOIN pools p ON p.id = c.pool_id JOIN pool_revisions r ON r.id = c.revision_id"

    init(_ row: SQLRow) throws {
        id = try row.int("id")
        name = try row.text("name")
        pool = try row.text("pool")
        revisionId = try row.int("revision_id")
        poolRevision = try row.int("pool_revision")
        let text = try row.text("settings")
        settings = try CursorSettingsCache.decode(text)
        storedSettings = (text, settings)
        state = try row.value("state", as: CursorState.self)
        stateReason = try row["state_reason"].text
        retryOf = try row["retry_of"].text
        totalHosts = try row.int("total_hosts")
        nextPosition = try row.int("next_position")
        nextBatch = try row.int("next_batch")
        counts = [
            .ok: try row.int("hosts_ok"), .changed: try row.int("hosts_changed"), .failed: try row.int("hosts_failed"),
            .unreachable: try row.int("hosts_unreachable"), .skipped: try row.int("hosts_skipped"),
        ]
        batchesCompleted = try row.int("batches_completed")
        tierEnds = try row["tier_ends"].text.map(Self.decodeTierEnds) ?? [totalHosts]
        tierFirstBatch = try row.int("tier_first_batch")
        lastCompletedAt = try row["last_completed_at"].double
        waitingFor = try row["waiting_for"].text
        eventSeq = try row.int("event_seq")
        createdAt = try row.text("created_at")
        updatedAt = try row.text("updated_at")
    }

    /// Loads a cursor by name.
    static func load(_ tx: any StoreTransaction, name: String) throws -> CursorRow {
        guard let row = try tx.row("SELECT \(columns) FROM cursors c \(joins) WHERE c.name = ?", [.text(name)]) else {
            throw EngineError.notFound("cursor", name)
        }
        return try CursorRow(row)
    }

    /// Loads a cursor for a change, and the database's clock read once the cursor is locked.
    /// Under PostgreSQL the row stays locked (`FOR UPDATE`) until the transaction ends, which
    /// serialises the changes of one cursor across replicas; the lock is taken in a subquery
    /// so that the clock is read after it was granted, not before a wait for it. One
    /// statement, because each is a round trip while other claims wait for the lock.
    static func lockForChange(_ tx: any StoreTransaction, name: String) throws -> (CursorRow, Date) {
        try loaded(try tx.rows(ofEach: [lockQuery(name, tx.dialect)])[0], name: name, tx: tx)
    }

    /// Loads a cursor and the database's clock in one statement, for a read.
    static func loadWithClock(_ tx: any StoreTransaction, name: String) throws -> (CursorRow, Date) {
        try loaded(try tx.rows(ofEach: [readQuery(name, tx.dialect)])[0], name: name, tx: tx)
    }

    /// The statement of ``lockForChange(_:name:)``, for callers that send more right behind it.
    static func lockQuery(_ name: String, _ dialect: SQLDialect) -> SQLQuery {
        query(name, dialect, lock: dialect.forUpdate)
    }

    /// The statement of ``loadWithClock(_:name:)``, for callers that send more right behind it.
    static func readQuery(_ name: String, _ dialect: SQLDialect) -> SQLQuery { query(name, dialect, lock: "") }

    private static func query(_ name: String, _ dialect: SQLDialect, lock: String) -> SQLQuery {
        SQLQuery(
            "SELECT \(columns), \(dialect.clockSeconds) AS clock FROM (SELECT * FROM cursors WHERE name = ?\(lock)) "
                + "c \(joins)",
            [.text(name)])
    }

    /// The cursor and clock from the rows of ``lockQuery(_:_:)`` or ``readQuery(_:_:)``; a
    /// manual store clock wins over the database's, as it does in every bound "now".
    static func loaded(_ rows: [SQLRow], name: String, tx: any StoreTransaction) throws -> (CursorRow, Date) {
        guard let row = rows.first else { throw EngineError.notFound("cursor", name) }
        let clock = tx.clock.isManual ? nil : try row["clock"].double.map { Date(timeIntervalSince1970: $0) }
        return (try CursorRow(row), try clock ?? tx.now())
    }

    /// Writes back state, plan position and counts.
    func save(_ tx: any StoreTransaction, now: String) throws {
        try tx.execute(
            """
            UPDATE cursors SET settings = ?, state = ?, state_reason = ?, next_position = ?, next_batch = ?,
            hosts_ok = ?, hosts_changed = ?, hosts_failed = ?, hosts_unreachable = ?, hosts_skipped = ?,
            batches_completed = ?, tier_first_batch = ?, last_completed_at = ?, waiting_for = ?, event_seq = ?,
            updated_at = ? WHERE id = ?
            """,
            [
                .text(settings == storedSettings.value ? storedSettings.text : try Wire.encodeString(settings)),
                .text(state.rawValue), SQLValue(stateReason),
                SQLValue(nextPosition), SQLValue(nextBatch), SQLValue(counts[.ok] ?? 0),
                SQLValue(counts[.changed] ?? 0),
                SQLValue(counts[.failed] ?? 0), SQLValue(counts[.unreachable] ?? 0), SQLValue(counts[.skipped] ?? 0),
                SQLValue(batchesCompleted), SQLValue(tierFirstBatch), SQLValue(lastCompletedAt), SQLValue(waitingFor),
                SQLValue(eventSeq), .text(now), SQLValue(id),
            ])
    }

    /// Where the plan stands, for cutting the next batch with the current batch size.
    var cutter: BatchCutter {
        BatchCutter(tierEnds: tierEnds, position: nextPosition, nextBatch: nextBatch, tierFirstBatch: tierFirstBatch)
    }

    /// Batches the rollout will have in all, with the current batch size for those not yet made.
    var batchesTotal: Int { nextBatch - 1 + cutter.remainingBatches(batchSize: settings.batchSize) }

    /// Moves the plan past a batch just cut from it.
    mutating func advance(past cut: BatchCutter.Cut) {
        var walk = cutter
        _ = walk.cut(batchSize: settings.batchSize)
        precondition(walk.position == cut.positions.upperBound, "the cut was not taken from where the cursor stands")
        nextPosition = walk.position
        nextBatch = walk.nextBatch
        tierFirstBatch = walk.tierFirstBatch
    }

    /// Tier ends as stored: a JSON array of positions.
    static func decodeTierEnds(_ text: String) throws -> [Int] {
        guard case .array(let items) = try JSONParser.parse(text) else {
            throw StoreUnavailableError("a cursor's tier_ends is not a JSON array")
        }
        return try items.map { item in
            guard case .int(let end) = item else {
                throw StoreUnavailableError("a cursor's tier_ends holds something other than positions")
            }
            return end
        }
    }

    func info(inFlight: Int) -> CursorInfo {
        CursorInfo(
            name: name, poolRevision: poolRevision, settings: settings, state: state, stateReason: stateReason,
            retryOf: retryOf, hasMore: hasMore,
            progress: CursorProgress(
                totalHosts: totalHosts, hostsDone: hostsDone, hostsOk: counts[.ok] ?? 0,
                hostsChanged: counts[.changed] ?? 0,
                hostsFailed: counts[.failed] ?? 0, hostsUnreachable: counts[.unreachable] ?? 0,
                hostsSkipped: counts[.skipped] ?? 0, batchesTotal: batchesTotal, batchesCompleted: batchesCompleted,
                batchesInFlight: inFlight),
            createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Batches held under a lease that has not run out.
    func inFlight(_ tx: any StoreTransaction, now: Double) throws -> Int {
        try tx.int(
            "SELECT COUNT(*) FROM batches WHERE cursor_id = ? AND state = 'leased' AND lease_expires_at > ?",
            [SQLValue(id), .double(now)]) ?? 0
    }
}
