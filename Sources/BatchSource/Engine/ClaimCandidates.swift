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
    /// batches; the first column says which lookup a row answers. The cursor is named, not
    /// numbered, so that the statement can go out right behind the one that locks the cursor,
    /// before its answer is in.
    private static func sql(withKey: Bool, _ dialect: SQLDialect) -> String {
        let blanks = { (n: Int) in Array(repeating: "NULL", count: n).joined(separator: ", ") }
        return """
            WITH clock AS (SELECT \(dialect.givenOrClockSeconds) AS now), cur AS (SELECT id FROM cursors WHERE name = ?)
            """ + (withKey ? """
            SELECT 1 AS kind, \(BatchRow.columns) WHERE cursor_id = (SELECT id FROM cur)
              AND batch_id = (SELECT batch_id FROM claim_keys WHERE cursor_id = (SELECT id FROM cur) AND claim_key = ?)
            UNION ALL\n
            """ : "\n") + """
            SELECT * FROM (SELECT 2 AS kind, \(BatchRow.columns) WHERE cursor_id = (SELECT id FROM cur) AND consumer = ?
                           AND state = 'leased' ORDER BY batch_id LIMIT 1) AS held
            UNION ALL
            SELECT * FROM (SELECT 3 AS kind, \(BatchRow.columns) WHERE cursor_id = (SELECT id FROM cur) AND state = 'available'
                           ORDER BY batch_id LIMIT 1) AS released
            UNION ALL
            SELECT * FROM (SELECT 4 AS kind, \(BatchRow.columns) WHERE cursor_id = (SELECT id FROM cur) AND state = 'leased'
                           AND lease_expires_at <= (SELECT now FROM clock) ORDER BY batch_id LIMIT 1) AS expired
            UNION ALL
            SELECT 5 AS kind, COUNT(*), \(blanks(6)), (SELECT now FROM clock), \(blanks(4)) FROM batches
              WHERE cursor_id = (SELECT id FROM cur) AND state = 'leased' AND lease_expires_at > (SELECT now FROM clock)
            """
    }
    private static let statements: [SQLDialect: (withKey: String, withoutKey: String)] = [
        .sqlite: (sql(withKey: true, .sqlite), sql(withKey: false, .sqlite)),
        .postgres: (sql(withKey: true, .postgres), sql(withKey: false, .postgres)),
    ]

    /// The statement; `now` nil judges leases by the database clock when it runs.
    static func query(cursor: String, consumer: String, claimKey: String?, now: Double?, _ dialect: SQLDialect) -> SQLQuery {
        var arguments: [SQLValue] = [SQLValue(now), .text(cursor)]
        if let claimKey { arguments.append(.text(claimKey)) }
        arguments.append(.text(consumer))
        let texts = statements[dialect]!
        return SQLQuery(claimKey == nil ? texts.withoutKey : texts.withKey, arguments)
    }

    /// Runs the lookups now, judging leases at `now`.
    static func load(_ tx: any StoreTransaction, cursor: String, consumer: String, claimKey: String?, now: Double) throws -> ClaimCandidates {
        try ClaimCandidates(try tx.rows(ofEach: [query(cursor: cursor, consumer: consumer, claimKey: claimKey, now: now, tx.dialect)])[0])
    }

    init(_ rows: [SQLRow]) throws {
        var released: BatchRow?
        var expired: BatchRow?
        var now: Double?
        inFlight = 0
        for row in rows {
            let batch = { BatchRow(SQLRow(Array(row.values.dropFirst()))) }
            switch row[0].int {
            case 1: keyed = batch()
            case 2: held = batch()
            case 3: released = batch()
            case 4: expired = batch()
            default:
                inFlight = row[1].int ?? 0
                now = row[8].double
            }
        }
        guard let now else { throw StoreUnavailableError("the claim lookups returned no clock") }
        self.now = now
        again = [released, expired].compactMap { $0 }.min { $0.batchId < $1.batchId }
    }
}
