import Foundation
import InventoryModel
import Metrics

/// The rollout-safety rules of the claim (DESIGN.md, "Rollout safety"), each a refusal or nil:
/// maintenance windows and freezes before any batch starts, then, before a new batch, the
/// tier before it, the bake time and (in ``GateChecks``) the health gates.
enum RolloutRules {
    /// Outside the cursor's windows, in a freeze, or too little of the window left: 409
    /// `outside_window`, with the next opening in the body and Retry-After until it.
    static func windowRefusal(_ c: CursorRow, now: Double) throws -> EngineError? {
        let s = c.settings
        guard !s.windows.isEmpty || !s.freezes.isEmpty else { return nil }
        let calendar = try RolloutCalendarCache.calendar(for: s)
        let status = calendar.status(at: Date(timeIntervalSince1970: now))
        // As the last claim found it: 1 while new batches may start, 0 outside the windows.
        Gauge(label: "batch_source_window_open", dimensions: [("cursor", c.name)]).record(status.isOpen ? 1 : 0)
        guard case .closed(let nextOpening, let reason) = status else { return nil }
        var details: JSONObject = ["next_opening": nextOpening.map { .string(RFC3339.string(from: $0)) } ?? .null]
        details["reason"] = .string(reason)
        let opens = nextOpening.map { " until \(RFC3339.string(from: $0))" } ?? "; no window opens within the year"
        // Asked again at least hourly, so a patched window is seen without a long sleep.
        let wait = nextOpening.map { max(1, min(3600, Int(($0.timeIntervalSince1970 - now).rounded(.up)))) } ?? 3600
        return EngineError(
            code: "outside_window", status: 409,
            message: "cursor \(c.name) starts no batch now: \(reason)\(opens); batches already out carry on",
            retryAfterSeconds: wait, details: details)
    }

    /// A tier's first batch waits until every batch of the tiers before it completed.
    static func tierRefusal(_ c: CursorRow, cut: BatchCutter.Cut, inFlight: Int, now: Double) -> EngineError? {
        let opensTier = cut.positions.lowerBound == c.cutter.positions(ofTier: cut.tier).lowerBound
        guard opensTier && cut.batch > 1 && inFlight > 0 else { return nil }
        return EngineError(
            code: "no_batch_free", status: 409,
            message:
                "cursor \(c.name): tier \(cut.tier + 1) starts once the \(inFlight) batch(es) still out in the tier "
                + "before it complete; ask again later",
            retryAfterSeconds: 5, details: ["waiting_for": "tier"])
    }

    /// No new batch until `bake_seconds` after the last completion.
    static func bakeRefusal(_ c: CursorRow, now: Double) -> EngineError? {
        guard let bake = c.settings.bakeSeconds, bake > 0, let last = c.lastCompletedAt else { return nil }
        let ends = last + Double(bake)
        guard now < ends else { return nil }
        return EngineError(
            code: "no_batch_free", status: 409,
            message:
                "cursor \(c.name) is baking: the last batch completed at \(RFC3339.string(fromEpoch: last)); the next "
                + "starts from \(RFC3339.string(fromEpoch: ends)) (bake_seconds \(bake))",
            retryAfterSeconds: max(1, Int((ends - now).rounded(.up))),
            details: ["waiting_for": "bake", "bake_ends": .string(RFC3339.string(fromEpoch: ends))])
    }

    /// With `pause_between_tiers`: the tier whose last batch this completion finished, when a
    /// tier with hosts follows it; nil otherwise.
    static func tierJustCompleted(_ c: CursorRow, batch: BatchRow, tx: any StoreTransaction) throws -> Int? {
        guard c.settings.pauseBetweenTiers, c.tierEnds.count > 1 else { return nil }
        let cutter = c.cutter
        let tier = cutter.tier(of: batch.startPosition)
        let end = cutter.positions(ofTier: tier).upperBound
        // Every host of the tier is in a batch, a later tier has hosts, and none is unfinished.
        guard c.nextPosition >= end, end < c.totalHosts else { return nil }
        let open =
            try tx.int(
                "SELECT COUNT(*) FROM batches WHERE cursor_id = ? AND state <> 'completed' AND start_position < ?",
                [SQLValue(c.id), SQLValue(end)]) ?? 0
        return open == 0 ? tier : nil
    }
}

extension CursorService {
    /// Refuses settings whose windows name no known time zone, or whose gates call a host that
    /// is not on the serve setting `gate_hosts`.
    func checkRolloutSafety(_ settings: CursorSettings) throws {
        do { _ = try RolloutCalendarCache.calendar(for: settings) } catch {
            throw EngineError.invalid("\(error)")
        }
        for (i, gate) in settings.gates.enumerated() {
            if let refusal = gateRunner.allowList.refusal(for: gate, at: i) { throw EngineError.invalid(refusal) }
        }
    }
}
