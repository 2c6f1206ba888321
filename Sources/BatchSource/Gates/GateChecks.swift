import Foundation
import InventoryModel

/// A gate check a claim found due, run by ``GateRunner`` once the claim's transaction committed.
struct GateCheckStart: Sendable, Hashable {
    var cursor: String
    var batch: Int
    var gate: GateSpec
}

/// The stored state of the gates before a cursor's next batch (`gate_checks`): one row per
/// cursor, batch and gate, so each gate is checked once per batch however many replicas
/// serve claims: the replica that holds a row's runner lease checks it, the others wait.
enum GateChecks {
    /// What the gates say about leasing batch `batch` now.
    struct Judgement {
        /// Why the batch must wait, or nil when every gate passed.
        var refusal: EngineError?
        /// Checks this claim took on (no replica was running them).
        var starts: [GateCheckStart]
    }

    /// A runner holds its row this long past a check's interval before another may take it over.
    static let runnerGrace = 30.0

    /// Judges the gates before batch `batch` inside the claim's transaction (the cursor is
    /// locked): passed gates let it go; any other is checked now (by this replica, when no
    /// runner holds it) and the claim waits, told to ask again after the gate's interval.
    static func judge(_ tx: any StoreTransaction, cursor c: CursorRow, batch: Int, now: Double, replica: String)
        throws -> Judgement
    {
        let rows = try tx.rows(
            "SELECT gate, state, checks, evidence, runner_until FROM gate_checks WHERE cursor_id = ? AND batch_id = ?",
            [SQLValue(c.id), SQLValue(batch)])
        var byGate: [String: SQLRow] = [:]
        for row in rows { byGate[try row.text("gate")] = row }
        var waiting: [JSONValue] = []
        var starts: [GateCheckStart] = []
        var interval = Int.max
        for gate in c.settings.gates {
            let row = byGate[gate.name]
            if try row?.text("state") == "passed" { continue }
            interval = min(interval, gate.intervalSeconds)
            let until = now + Double(gate.intervalSeconds) + runnerGrace
            if row == nil {
                try tx.execute(
                    """
                    INSERT INTO gate_checks (cursor_id, batch_id, gate, state, started_at, runner, runner_until)
                    VALUES (?, ?, ?, 'checking', ?, ?, ?)
                    """,
                    [SQLValue(c.id), SQLValue(batch), .text(gate.name), .double(now), .text(replica), .double(until)])
                starts.append(GateCheckStart(cursor: c.name, batch: batch, gate: gate))
            } else if try (row?["runner_until"].double ?? 0) <= now {
                try tx.execute(
                    """
                    UPDATE gate_checks SET state = 'checking', runner = ?, runner_until = ?
                    WHERE cursor_id = ? AND batch_id = ? AND gate = ?
                    """, [.text(replica), .double(until), SQLValue(c.id), SQLValue(batch), .text(gate.name)])
                starts.append(GateCheckStart(cursor: c.name, batch: batch, gate: gate))
            }
            var entry: JSONObject = ["name": .string(gate.name), "checks": .int(try row?["checks"].int ?? 0)]
            if let evidence = try row?["evidence"].text { entry["evidence"] = .string(evidence) }
            waiting.append(.object(entry))
        }
        guard !waiting.isEmpty else { return Judgement(refusal: nil, starts: []) }
        let names = waiting.compactMap { $0.objectValue?["name"]?.stringValue }.joined(separator: ", ")
        let refusal = EngineError(
            code: "no_batch_free", status: 409,
            message:
                "cursor \(c.name) waits for its gates (\(names)) to pass before batch \(batch); they are checked "
                + "every \(interval) s",
            retryAfterSeconds: max(1, interval), details: ["waiting_for": "gates", "gates": .array(waiting)])
        return Judgement(refusal: refusal, starts: starts)
    }

    /// After a resume, the failed gates of the next batch are checked afresh.
    static func forgetFailures(_ tx: any StoreTransaction, cursorId: Int) throws {
        try tx.execute("DELETE FROM gate_checks WHERE cursor_id = ? AND state = 'failed'", [SQLValue(cursorId)])
    }
}
