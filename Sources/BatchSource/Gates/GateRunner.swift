import Foundation
import InventoryModel
import Metrics
import Synchronization

/// Runs the gate checks that claims found due, outside any transaction: a check may take
/// seconds, and the cursor's lock must not wait for it. Each check repeats every
/// `interval_seconds` until the gate passes, its `timeout_seconds` runs out (the cursor
/// halts with the evidence) or another replica took the row over; every result is stored.
final class GateRunner: Sendable {
    let allowList: GateAllowList
    /// Made at the first check, so that a service without gates opens no HTTP client.
    private let checker = Mutex<GateChecker?>(nil)
    private let running = Mutex<Set<GateCheckStart>>([])

    init(allowList: GateAllowList) {
        self.allowList = allowList
    }

    /// Starts checking, unless this process checks that gate already.
    func start(_ start: GateCheckStart, service: CursorService) {
        let isNew = running.withLock { $0.insert(start).inserted }
        guard isNew else { return }
        let checker = self.checker.withLock { c in
            if let c { return c }
            let made = GateChecker(allowList: allowList)
            c = made
            return made
        }
        Task {
            defer { _ = running.withLock { $0.remove(start) } }
            while true {
                let outcome = await checker.check(start.gate)
                guard let again = try? await service.recordGateCheck(start, outcome) else { return }
                try? await Task.sleep(for: .seconds(again))
            }
        }
    }

    /// Closes the HTTP client, if one was made.
    func shutdown() async {
        let made = checker.withLock { c -> GateChecker? in
            defer { c = nil }
            return c
        }
        try? await made?.shutdown()
    }
}

extension CursorService {
    /// Stores one check's outcome; returns the seconds until the next check, or nil when this
    /// replica checks no more (passed, timed out, taken over, or the cursor is not active).
    func recordGateCheck(_ start: GateCheckStart, _ outcome: GateOutcome) async throws -> Int? {
        let replica = self.replica
        return try await recordingWrite { tx, log -> Int? in
            var (c, nowDate) = try CursorRow.lockForChange(tx, name: start.cursor)
            let now = nowDate.timeIntervalSince1970
            let key: [SQLValue] = [SQLValue(c.id), SQLValue(start.batch), .text(start.gate.name)]
            guard
                let row = try tx.row(
                    "SELECT state, started_at, checks, evidence, runner FROM gate_checks WHERE cursor_id = ? AND "
                        + "batch_id = ? AND gate = ?", key),
                try row.text("state") == "checking", try row["runner"].text == replica
            else { return nil }
            let checks = try row.int("checks") + 1
            let startedAt = try row.double("started_at")
            let gate = start.gate
            let details: JSONObject = [
                "gate": .string(gate.name), "type": .string(gate.type.rawValue), "checks": .int(checks),
                "evidence": .string(outcome.evidence),
            ]
            Counter(
                label: "batch_source_gate_checks_total",
                dimensions: [
                    ("cursor", c.name), ("gate", gate.name), ("result", outcome.healthy ? "healthy" : "unhealthy"),
                ]
            ).increment()
            var state = "checking"
            var again: Int? = gate.intervalSeconds
            if outcome.healthy {
                state = "passed"
                again = nil
                try log.record(
                    .gatePassed, &c, at: now, batch: start.batch, reason: outcome.evidence, details: details, tx: tx)
            } else {
                // A failure is written when it starts and whenever its evidence changes, not at every check.
                if try row["evidence"].text != outcome.evidence || checks == 1 {
                    try log.record(
                        .gateFailed, &c, at: now, batch: start.batch, reason: outcome.evidence, details: details, tx: tx
                    )
                }
                if now - startedAt >= Double(gate.timeoutSeconds) {
                    state = "failed"
                    again = nil
                    if c.state == .active {
                        c.state = .halted
                        c.stateReason =
                            "gate \(gate.name) was unhealthy for \(gate.timeoutSeconds) s before batch \(start.batch): "
                            + outcome.evidence
                        try log.record(
                            .halted, &c, at: now, batch: start.batch, reason: c.stateReason, details: details, tx: tx)
                    }
                } else if c.state != .active {
                    // Paused or stopped: no more checks until a claim on an active cursor asks again.
                    again = nil
                }
            }
            try tx.execute(
                """
                UPDATE gate_checks SET state = ?, checks = ?, checked_at = ?, evidence = ?, runner_until = ?
                WHERE cursor_id = ? AND batch_id = ? AND gate = ?
                """,
                [
                    .text(state), SQLValue(checks), .double(now), .text(outcome.evidence),
                    SQLValue(
                        again.map { now + Double($0) + GateChecks.runnerGrace } ?? (state == "checking" ? 0 : nil)),
                ] + key)
            try c.save(tx, now: RFC3339.string(from: nowDate))
            return again
        }
    }
}
