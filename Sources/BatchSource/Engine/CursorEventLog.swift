import Foundation
import InventoryModel
import Logging
import Metrics

/// The audit events of one write transaction: each is inserted beside the change it records,
/// and logged (a JSON line) and counted only once the transaction committed, so the log never
/// tells of a change that was rolled back. A transaction that is tried again starts a new log.
struct CursorEventLog: Sendable {
    private(set) var written: [(cursor: String, event: CursorEvent)] = []

    /// Writes an event of cursor `c`, numbered after its last; the caller saves `c` (its
    /// `event_seq`) in the same transaction.
    mutating func record(
        _ kind: CursorEventKind, _ c: inout CursorRow, at now: Double, actor: String? = nil, batch: Int? = nil,
        reason: String? = nil, details: JSONObject? = nil, tx: any StoreTransaction
    ) throws {
        c.eventSeq += 1
        let event = CursorEvent(
            seq: c.eventSeq, at: RFC3339.string(fromEpoch: now), kind: kind, actor: actor, batch: batch,
            reason: reason, details: details)
        let detailsText = details.map { JSONWriter(indent: nil, sortKeys: false).string(.object($0)) }
        try tx.execute(
            """
            INSERT INTO cursor_events (cursor_id, seq, at, kind, actor, batch_id, reason, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                SQLValue(c.id), SQLValue(c.eventSeq), .double(now), .text(kind.rawValue), SQLValue(actor),
                SQLValue(batch), SQLValue(reason), SQLValue(detailsText),
            ])
        written.append((c.name, event))
    }

    /// One log line and one count per event, after the commit.
    func emit(to logger: Logger) {
        for (cursor, event) in written {
            var metadata: Logger.Metadata = [
                "cursor": .string(cursor), "seq": .stringConvertible(event.seq), "event": .string(event.kind.rawValue),
            ]
            if let actor = event.actor { metadata["actor"] = .string(actor) }
            if let batch = event.batch { metadata["batch"] = .stringConvertible(batch) }
            if let reason = event.reason { metadata["reason"] = .string(reason) }
            if let details = event.details {
                metadata["details"] = .string(JSONWriter(indent: nil, sortKeys: false).string(.object(details)))
            }
            logger.info("cursor event", metadata: metadata)
            Counter(label: "batch_source_cursor_events_total", dimensions: [("event", event.kind.rawValue)])
                .increment()
        }
    }
}

extension CursorService {
    /// A write transaction that records audit events: they are logged once it committed.
    func recordingWrite<T: Sendable>(
        _ body: @escaping @Sendable (any StoreTransaction, inout CursorEventLog) throws -> T
    ) async throws -> T {
        let (value, log) = try await store.write { tx in
            var log = CursorEventLog()
            let value = try body(tx, &log)
            return (value, log)
        }
        log.emit(to: eventLogger)
        return value
    }

    /// A page of a cursor's audit trail, oldest first, after event number `after`.
    public func events(_ cursor: String, after: Int, limit: Int) async throws -> Page<CursorEvent> {
        try await store.read { tx in
            let c = try CursorRow.load(tx, name: cursor)
            let rows = try tx.rows(
                """
                SELECT seq, at, kind, actor, batch_id, reason, details FROM cursor_events
                WHERE cursor_id = ? AND seq > ? ORDER BY seq LIMIT ?
                """, [SQLValue(c.id), SQLValue(after), SQLValue(limit)])
            let items = try rows.map { row in
                var details: JSONObject?
                if let text = try row["details"].text, case .object(let o) = try JSONParser.parse(text) { details = o }
                return CursorEvent(
                    seq: try row.int("seq"), at: RFC3339.string(fromEpoch: try row.double("at")),
                    kind: try row.value("kind", as: CursorEventKind.self), actor: try row["actor"].text,
                    batch: try row["batch_id"].int, reason: try row["reason"].text, details: details)
            }
            // Events are numbered without gaps, so the cursor's count is its last number.
            return Page(items: items, total: c.eventSeq, limit: limit, offset: min(after, c.eventSeq))
        }
    }
}
