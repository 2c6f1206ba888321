import Foundation
import InventoryModel

/// A batch as stored: its slice of the plan and its latest attempt.
struct BatchRow: Sendable {
    var batchId: Int
    var startPosition: Int
    var hostCount: Int
    /// As stored: a lease that ran out is still `leased` here (see ``effectiveState(at:)``).
    var state: BatchState
    var attempt: Int
    var consumer: String?
    var claimKey: String?
    var leasedAt: Double?
    var leaseExpiresAt: Double?
    var externalRef: String?
    var results: String?
    var completedAt: Double?

    /// The columns ``init(_:)`` reads, for a SELECT from `batches`.
    static let columns = """
        batch_id, start_position, host_count, state, attempt, consumer, claim_key, leased_at,
        lease_expires_at, external_ref, results, completed_at
        """

    init(_ row: SQLRow) throws(SQLRowError) {
        batchId = try row.int("batch_id")
        startPosition = try row.int("start_position")
        hostCount = try row.int("host_count")
        state = try row.value("state", as: BatchState.self)
        attempt = try row.int("attempt")
        consumer = try row["consumer"].text
        claimKey = try row["claim_key"].text
        leasedAt = try row["leased_at"].double
        leaseExpiresAt = try row["lease_expires_at"].double
        externalRef = try row["external_ref"].text
        results = try row["results"].text
        completedAt = try row["completed_at"].double
    }

    /// A batch not yet stored: never handed out.
    init(batchId: Int, startPosition: Int, hostCount: Int) {
        self.batchId = batchId
        self.startPosition = startPosition
        self.hostCount = hostCount
        state = .available
        attempt = 0
    }

    static func load(_ tx: any StoreTransaction, cursorId: Int, batchId: Int) throws -> BatchRow? {
        try tx.row(
            "SELECT \(columns) FROM batches WHERE cursor_id = ? AND batch_id = ?",
            [SQLValue(cursorId), SQLValue(batchId)]
        )
        .map { row throws(SQLRowError) in try BatchRow(row) }
    }

    /// What a completion reads first while it holds the cursor's lock, in one statement that
    /// can go out right behind the lock (the cursor is named, not numbered): the batch, how
    /// many batches of the cursor are in flight, and the time (`now`, or with nil the database
    /// clock when the statement runs). The batch's hosts are read apart, with the batch's
    /// bounds as values: joined here, PostgreSQL could not know how few they are, and planned
    /// a scan of the whole pool's hosts.
    static func completionQuery(cursor: String, batchId: Int, now: Double?, _ dialect: SQLDialect) -> SQLQuery {
        SQLQuery(
            """
            WITH clock AS (SELECT \(dialect.nowExpression) AS now), cur AS (SELECT id FROM cursors WHERE name = ?)
            SELECT b.*, (SELECT COUNT(*) FROM batches WHERE cursor_id = (SELECT id FROM cur) AND state = 'leased'
                         AND lease_expires_at > (SELECT now FROM clock)) AS in_flight, (SELECT now FROM clock) AS now
            FROM (SELECT \(columns) FROM batches WHERE cursor_id = (SELECT id FROM cur) AND batch_id = ?) AS b
            """, [SQLValue(now), .text(cursor), SQLValue(batchId)])
    }

    /// The row of ``completionQuery(cursor:batchId:now:_:)``; nil when there is no such batch.
    static func completion(_ rows: [SQLRow]) throws(SQLRowError) -> (BatchRow, inFlight: Int, now: Double)? {
        guard let row = rows.first else { return nil }
        return (try BatchRow(row), try row.int("in_flight"), try row.double("now"))
    }

    func isExpired(at now: Double) -> Bool { state == .leased && (leaseExpiresAt ?? 0) <= now }

    /// The state a reader sees: a lease that ran out makes the batch available again.
    func effectiveState(at now: Double) -> BatchState {
        state == .leased && isExpired(at: now) ? .available : state
    }

    func save(_ tx: any StoreTransaction, cursorId: Int) throws {
        try tx.execute(
            """
            UPDATE batches SET state = ?, attempt = ?, consumer = ?, claim_key = ?, leased_at = ?, lease_expires_at = ?,
            external_ref = ?, results = ?, completed_at = ? WHERE cursor_id = ? AND batch_id = ?
            """,
            [
                .text(state.rawValue), SQLValue(attempt), SQLValue(consumer), SQLValue(claimKey), SQLValue(leasedAt),
                SQLValue(leaseExpiresAt), SQLValue(externalRef), SQLValue(results), SQLValue(completedAt),
                SQLValue(cursorId), SQLValue(batchId),
            ])
    }

    /// Starts a new attempt for `consumer`: attempt + 1, a fresh lease, the claim key recorded.
    /// With `insertingBatch`, the batch row itself is inserted in that state (a new batch);
    /// otherwise the caller saves it.
    mutating func lease(
        to consumer: String, claimKey: String?, now: Double, seconds: Int, tx: any StoreTransaction, cursorId: Int,
        insertingBatch: Bool = false
    ) throws {
        attempt += 1
        state = .leased
        self.consumer = consumer
        self.claimKey = claimKey
        leasedAt = now
        leaseExpiresAt = now + Double(seconds)
        externalRef = nil
        if insertingBatch {
            try tx.execute(
                """
                INSERT INTO batches (cursor_id, batch_id, start_position, host_count, state, attempt, consumer,
                  claim_key, leased_at, lease_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    SQLValue(cursorId), SQLValue(batchId), SQLValue(startPosition), SQLValue(hostCount),
                    .text(state.rawValue), SQLValue(attempt),
                    .text(consumer), SQLValue(claimKey), .double(now), SQLValue(leaseExpiresAt),
                ])
        }
        try tx.execute(
            """
            INSERT INTO batch_attempts (cursor_id, batch_id, attempt, consumer, claim_key, leased_at) VALUES (?, ?,
              ?, ?, ?, ?)
            """,
            [
                SQLValue(cursorId), SQLValue(batchId), SQLValue(attempt), .text(consumer), SQLValue(claimKey),
                .double(now),
            ])
    }

    /// Closes the current attempt with an outcome (`completed`, `released`, `expired`).
    func endAttempt(
        _ outcome: String, now: Double, forcedBy: String? = nil, tx: any StoreTransaction, cursorId: Int
    ) throws {
        try tx.execute(
            """
            UPDATE batch_attempts SET ended_at = ?, outcome = ?, external_ref = COALESCE(external_ref, ?),
              forced_by = COALESCE(?, forced_by)
            WHERE cursor_id = ? AND batch_id = ? AND attempt = ?
            """,
            [
                .double(now), .text(outcome), SQLValue(externalRef), SQLValue(forcedBy), SQLValue(cursorId),
                SQLValue(batchId), SQLValue(attempt),
            ])
    }

    /// Records on the attempt that an admin acted for its holder (`force`).
    func recordForce(by name: String, tx: any StoreTransaction, cursorId: Int) throws {
        try tx.execute(
            "UPDATE batch_attempts SET forced_by = ? WHERE cursor_id = ? AND batch_id = ? AND attempt = ?",
            [.text(name), SQLValue(cursorId), SQLValue(batchId), SQLValue(attempt)])
    }

    /// The stored per-host results (a JSON object of host → status, see ``encodeResults``).
    var decodedResults: [String: HostStatus] {
        guard let results, case .object(let o)? = try? JSONParser.parse(results) else { return [:] }
        var decoded: [String: HostStatus] = [:]
        decoded.reserveCapacity(o.count)
        for (host, value) in o {
            if case .string(let s) = value, let status = HostStatus(rawValue: s) { decoded[host] = status }
        }
        return decoded
    }

    /// Per-host results as stored: a compact JSON object, keys sorted.
    static func encodeResults(_ results: [String: HostStatus]) -> String {
        var object = JSONObject()
        object.reserveCapacity(results.count)
        for (host, status) in results { object[host] = .string(status.rawValue) }
        return JSONWriter(indent: nil, sortKeys: true).string(.object(object))
    }
}

/// The hosts of a plan slice with their stored rows.
struct PlanHost {
    var position: Int
    var hostIndex: Int
    var name: String
    var vars: SQLValue
    var groups: [Int]
    var status: HostStatus?
}

enum PlanQuery {
    /// The hosts at positions `start..<start+count` of a cursor's plan, in plan order.
    static func hosts(_ tx: any StoreTransaction, cursorId: Int, revisionId: Int, start: Int, count: Int) throws
        -> [PlanHost]
    {
        try tx.rows(
            """
            SELECT p.position, p.host_idx, h.name, h.vars, h.groups, p.status FROM cursor_plan p
            JOIN pool_hosts h ON h.revision_id = ? AND h.idx = p.host_idx
            WHERE p.cursor_id = ? AND p.position >= ? AND p.position < ? ORDER BY p.position
            """, [SQLValue(revisionId), SQLValue(cursorId), SQLValue(start), SQLValue(start + count)]
        ).map { row throws(SQLRowError) in
            PlanHost(
                position: try row.int("position"), hostIndex: try row.int("host_idx"), name: try row.text("name"),
                vars: try row["vars"],
                groups: JSONText.decodeInts(try row["groups"]),
                status: try row["status"].text.flatMap(HostStatus.init(rawValue:)))
        }
    }
}
