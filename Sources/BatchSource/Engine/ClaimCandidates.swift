import Foundation

/// Everything the claim rules look at, read in one statement once the cursor is locked: on
/// PostgreSQL every statement is a round trip while other claims of the cursor wait for its
/// lock, and these five lookups were five of them.
struct ClaimCandidates {
    /// Rule 1: the batch this claim key got before.
    var keyed: BatchRow?
    /// Rule 2: the consumer's unfinished batch (a lease that ran out still counts while nobody took it).
    var held: BatchRow?
    /// Rule 4: the first batch given back or whose lease ran out.
    var again: BatchRow?
    /// Rule 5: batches under a lease that has not run out.
    var inFlight: Int

    /// The time the lookups judged leases by: the database clock when the statement ran (once
    /// the cursor was locked, if it was sent right behind the lock), or the time given.
    var now: Double

    /// Each lookup is its own subquery on the (cursor_id, state, batch_id) or
    /// (cursor_id, consumer, state) index, so a claim never walks the cursor's completed
    /// batches; `kind` says which lookup a row answers, and the last row has the in-flight
    /// count and the clock. The cursor is named, not numbered, so that the statement can go
    /// out right behind the one that locks the cursor, before its answer is in.
    private static func sql(withKey: Bool, _ dialect: SQLDialect) -> String {
        // Typed NULLs: PostgreSQL types an untyped NULL of a subquery as text, which a UNION
        // with the count and the clock refuses.
        let noCount = "CAST(NULL AS BIGINT) AS in_flight, CAST(NULL AS DOUBLE PRECISION) AS now"
        let batchColumns = BatchRow.columns.split(separator: ",").count
        let noBatch = Array(repeating: "NULL", count: batchColumns).joined(separator: ", ")
        let byKey = """
            SELECT 1 AS kind, \(BatchRow.columns), \(noCount) FROM batches
              WHERE cursor_id = (SELECT id FROM cur)
                AND batch_id = (SELECT batch_id FROM claim_keys WHERE cursor_id = (SELECT id FROM cur) AND claim_key = ?)
            UNION ALL

            """
        return """
            WITH clock AS (SELECT \(dialect.nowExpression) AS now), cur AS (SELECT id FROM cursors WHERE name = ?)
            \(withKey ? byKey : "")\
            SELECT * FROM (SELECT 2 AS kind, \(BatchRow.columns), \(noCount) FROM batches
                             WHERE cursor_id = (SELECT id FROM cur) AND consumer = ? AND state = 'leased'
                             ORDER BY batch_id LIMIT 1) AS held
            UNION ALL
            SELECT * FROM (SELECT 3 AS kind, \(BatchRow.columns), \(noCount) FROM batches
                             WHERE cursor_id = (SELECT id FROM cur) AND state = 'available'
                             ORDER BY batch_id LIMIT 1) AS released
            UNION ALL
            SELECT * FROM (SELECT 4 AS kind, \(BatchRow.columns), \(noCount) FROM batches
                             WHERE cursor_id = (SELECT id FROM cur) AND state = 'leased'
                               AND lease_expires_at <= (SELECT now FROM clock)
                             ORDER BY batch_id LIMIT 1) AS expired
            UNION ALL
            SELECT 5 AS kind, \(noBatch), COUNT(*), (SELECT now FROM clock) FROM batches
              WHERE cursor_id = (SELECT id FROM cur) AND state = 'leased' AND lease_expires_at > (SELECT now FROM clock)
            """
    }
    private static let statements: [SQLDialect: (withKey: String, withoutKey: String)] = [
        .sqlite: (sql(withKey: true, .sqlite), sql(withKey: false, .sqlite)),
        .postgres: (sql(withKey: true, .postgres), sql(withKey: false, .postgres)),
    ]

    /// The statement; `now` nil judges leases by the database clock when it runs.
    static func query(cursor: String, consumer: String, claimKey: String?, now: Double?, _ dialect: SQLDialect)
        -> SQLQuery
    {
        var arguments: [SQLValue] = [SQLValue(now), .text(cursor)]
        if let claimKey { arguments.append(.text(claimKey)) }
        arguments.append(.text(consumer))
        let texts = statements[dialect]!
        return SQLQuery(claimKey == nil ? texts.withoutKey : texts.withKey, arguments)
    }

    /// Runs the lookups now, judging leases at `now`.
    static func load(_ tx: any StoreTransaction, cursor: String, consumer: String, claimKey: String?, now: Double)
        throws -> ClaimCandidates
    {
        try ClaimCandidates(
            try tx.rows(ofEach: [query(cursor: cursor, consumer: consumer, claimKey: claimKey, now: now, tx.dialect)])[
                0])
    }

    init(_ rows: [SQLRow]) throws {
        var released: BatchRow?
        var expired: BatchRow?
        var now: Double?
        inFlight = 0
        for row in rows {
            switch try row.int("kind") {
            case 1: keyed = try BatchRow(row)
            case 2: held = try BatchRow(row)
            case 3: released = try BatchRow(row)
            case 4: expired = try BatchRow(row)
            default:
                inFlight = try row.int("in_flight")
                now = try row.double("now")
            }
        }
        guard let now else { throw StoreUnavailableError("the claim lookups returned no clock") }
        self.now = now
        again = [released, expired].compactMap { $0 }.min { $0.batchId < $1.batchId }
    }
}
