import Foundation
import InventoryModel
import Synchronization

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
    var createdAt: String
    var updatedAt: String
    /// The settings as stored, so an unchanged cursor is saved without encoding them again.
    private var storedSettings: (text: String, value: CursorSettings)

    var hostsDone: Int { counts.values.reduce(0, +) }
    var hostsFailed: Int { (counts[.failed] ?? 0) + (counts[.unreachable] ?? 0) }
    var hasMore: Bool { hostsDone < totalHosts }

    static let columns = "\(selectList) FROM cursors c \(joins)"
    private static let selectList = """
        c.id, c.name, p.name, c.revision_id, r.revision, c.settings, c.state, c.state_reason, c.retry_of,
        c.total_hosts, c.next_position, c.next_batch, c.hosts_ok, c.hosts_changed, c.hosts_failed,
        c.hosts_unreachable, c.hosts_skipped, c.batches_completed, c.created_at, c.updated_at
        """
    private static let width = 20
    private static let joins = "JOIN pools p ON p.id = c.pool_id JOIN pool_revisions r ON r.id = c.revision_id"

    init(_ row: SQLRow) throws {
        id = row[0].int ?? 0
        name = row[1].text ?? ""
        pool = row[2].text ?? ""
        revisionId = row[3].int ?? 0
        poolRevision = row[4].int ?? 0
        let text = row[5].text ?? "{}"
        settings = try SettingsCache.decode(text)
        storedSettings = (text, settings)
        state = CursorState(rawValue: row[6].text ?? "") ?? .aborted
        stateReason = row[7].text
        retryOf = row[8].text
        totalHosts = row[9].int ?? 0
        nextPosition = row[10].int ?? 0
        nextBatch = row[11].int ?? 1
        counts = [.ok: row[12].int ?? 0, .changed: row[13].int ?? 0, .failed: row[14].int ?? 0,
                  .unreachable: row[15].int ?? 0, .skipped: row[16].int ?? 0]
        batchesCompleted = row[17].int ?? 0
        createdAt = row[18].text ?? ""
        updatedAt = row[19].text ?? ""
    }

    /// Loads a cursor by name.
    static func load(_ tx: any StoreTransaction, name: String) throws -> CursorRow {
        guard let row = try tx.row("SELECT \(columns) WHERE c.name = ?", [.text(name)]) else {
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
    static func lockQuery(_ name: String, _ dialect: SQLDialect) -> SQLQuery { query(name, dialect, lock: dialect.forUpdate) }

    /// The statement of ``loadWithClock(_:name:)``, for callers that send more right behind it.
    static func readQuery(_ name: String, _ dialect: SQLDialect) -> SQLQuery { query(name, dialect, lock: "") }

    private static func query(_ name: String, _ dialect: SQLDialect, lock: String) -> SQLQuery {
        SQLQuery("SELECT \(selectList), \(dialect.clockSeconds) FROM (SELECT * FROM cursors WHERE name = ?\(lock)) c \(joins)", [.text(name)])
    }

    /// The cursor and clock from the rows of ``lockQuery(_:_:)`` or ``readQuery(_:_:)``.
    static func loaded(_ rows: [SQLRow], name: String, tx: any StoreTransaction) throws -> (CursorRow, Date) {
        guard let row = rows.first else { throw EngineError.notFound("cursor", name) }
        return (try CursorRow(row), try row[width].double.map { Date(timeIntervalSince1970: $0) } ?? tx.now())
    }

    /// Writes back state, plan position and counts.
    func save(_ tx: any StoreTransaction, now: String) throws {
        try tx.execute("""
            UPDATE cursors SET settings = ?, state = ?, state_reason = ?, next_position = ?, next_batch = ?,
            hosts_ok = ?, hosts_changed = ?, hosts_failed = ?, hosts_unreachable = ?, hosts_skipped = ?,
            batches_completed = ?, updated_at = ? WHERE id = ?
            """, [.text(settings == storedSettings.value ? storedSettings.text : try Wire.encodeString(settings)),
                  .text(state.rawValue), SQLValue(stateReason),
                  SQLValue(nextPosition), SQLValue(nextBatch), SQLValue(counts[.ok] ?? 0), SQLValue(counts[.changed] ?? 0),
                  SQLValue(counts[.failed] ?? 0), SQLValue(counts[.unreachable] ?? 0), SQLValue(counts[.skipped] ?? 0),
                  SQLValue(batchesCompleted), .text(now), SQLValue(id)])
    }

    /// Batches the rollout will have in all, with the current batch size for those not yet made.
    var batchesTotal: Int {
        var remaining = totalHosts - nextPosition
        var count = nextBatch - 1
        var k = nextBatch
        let items = settings.batchSize.items
        while remaining > 0 && k < items.count {
            remaining -= max(1, items[k - 1].size(hostCount: totalHosts))
            count += 1
            k += 1
        }
        if remaining > 0 {
            let size = max(1, items[min(k, items.count) - 1].size(hostCount: totalHosts))
            count += (remaining + size - 1) / size
        }
        return count
    }

    /// The size of batch `k` as the current settings make it (never past the plan's end).
    func sizeOfNewBatch() -> Int {
        min(totalHosts - nextPosition, max(1, settings.batchSize.nominalSize(ofBatch: nextBatch, hostCount: totalHosts)))
    }

    func info(inFlight: Int) -> CursorInfo {
        CursorInfo(
            name: name, poolRevision: poolRevision, settings: settings, state: state, stateReason: stateReason,
            retryOf: retryOf, hasMore: hasMore,
            progress: CursorProgress(
                totalHosts: totalHosts, hostsDone: hostsDone, hostsOk: counts[.ok] ?? 0, hostsChanged: counts[.changed] ?? 0,
                hostsFailed: counts[.failed] ?? 0, hostsUnreachable: counts[.unreachable] ?? 0,
                hostsSkipped: counts[.skipped] ?? 0, batchesTotal: batchesTotal, batchesCompleted: batchesCompleted,
                batchesInFlight: inFlight),
            createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Batches held under a lease that has not run out.
    func inFlight(_ tx: any StoreTransaction, now: Double) throws -> Int {
        try tx.int("SELECT COUNT(*) FROM batches WHERE cursor_id = ? AND state = 'leased' AND lease_expires_at > ?",
                   [SQLValue(id), .double(now)]) ?? 0
    }
}

/// Decoded cursor settings by their stored JSON: every claim and read loads a cursor, and its
/// settings rarely change, so JSON decoding them each time was a tenth of a read's cost.
enum SettingsCache {
    private static let entries = Mutex<[String: CursorSettings]>([:])

    static func decode(_ text: String) throws -> CursorSettings {
        if let hit = entries.withLock({ $0[text] }) { return hit }
        let settings = try Wire.decoder.decode(CursorSettings.self, from: Data(text.utf8))
        entries.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[text] = settings
        }
        return settings
    }
}
