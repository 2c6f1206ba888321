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

    /// Each lookup is its own subquery on the (cursor_id, state, batch_id) or
    /// (cursor_id, consumer, state) index, so a claim never walks the cursor's completed
    /// batches; the first column says which lookup a row answers.
    private static func sql(withKey: Bool) -> String {
        let blanks = Array(repeating: "NULL", count: 11).joined(separator: ", ")
        return (withKey ? """
            SELECT 1 AS kind, \(BatchRow.columns) WHERE cursor_id = ?
              AND batch_id = (SELECT batch_id FROM claim_keys WHERE cursor_id = ? AND claim_key = ?)
            UNION ALL\n
            """ : "") + """
            SELECT * FROM (SELECT 2 AS kind, \(BatchRow.columns) WHERE cursor_id = ? AND consumer = ? AND state = 'leased'
                           ORDER BY batch_id LIMIT 1) AS held
            UNION ALL
            SELECT * FROM (SELECT 3 AS kind, \(BatchRow.columns) WHERE cursor_id = ? AND state = 'available'
                           ORDER BY batch_id LIMIT 1) AS released
            UNION ALL
            SELECT * FROM (SELECT 4 AS kind, \(BatchRow.columns) WHERE cursor_id = ? AND state = 'leased' AND lease_expires_at <= ?
                           ORDER BY batch_id LIMIT 1) AS expired
            UNION ALL
            SELECT 5 AS kind, COUNT(*), \(blanks) FROM batches WHERE cursor_id = ? AND state = 'leased' AND lease_expires_at > ?
            """
    }
    private static let withKey = sql(withKey: true)
    private static let withoutKey = sql(withKey: false)

    static func load(_ tx: any StoreTransaction, cursorId: Int, consumer: String, claimKey: String?, now: Double) throws -> ClaimCandidates {
        let cursor = SQLValue(cursorId)
        var arguments: [SQLValue] = []
        if let claimKey { arguments += [cursor, cursor, .text(claimKey)] }
        arguments += [cursor, .text(consumer), cursor, cursor, .double(now), cursor, .double(now)]
        var found = ClaimCandidates(inFlight: 0)
        var released: BatchRow?
        var expired: BatchRow?
        for row in try tx.rows(claimKey == nil ? withoutKey : withKey, arguments) {
            let batch = { BatchRow(SQLRow(Array(row.values.dropFirst()))) }
            switch row[0].int {
            case 1: found.keyed = batch()
            case 2: found.held = batch()
            case 3: released = batch()
            case 4: expired = batch()
            default: found.inFlight = row[1].int ?? 0
            }
        }
        found.again = [released, expired].compactMap { $0 }.min { $0.batchId < $1.batchId }
        return found
    }
}
