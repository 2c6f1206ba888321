import Foundation
import InventoryModel

extension CursorService {
    /// Settings a merge patch may change: those that only shape batches not yet handed out.
    static let patchableSettings: Set<String> = [
        "batch_size", "lease_seconds", "max_in_flight", "ack", "max_fail_percentage", "max_failed_hosts",
        "pause_after", "bake_seconds", "pause_between_tiers", "cancel_on_halt", "gates", "windows", "freezes",
        "min_window_left_seconds",
    ]
    /// Settings the plan depends on.
    static let fixedSettings: Set<String> = ["pool", "limit", "order", "seed", "tiers"]

    /// Applies a JSON Merge Patch (RFC 7396): `state` to pause, resume or abort, and the
    /// settings that only shape batches not yet handed out. Each change is an audit event.
    public func patch(_ name: String, _ patch: JSONObject, actor: String? = nil) async throws -> CursorInfo {
        if let key = patch.keys.first(where: Self.fixedSettings.contains) {
            throw EngineError.invalid(
                "\(key) is fixed when a cursor is made (its plan depends on it); make a new cursor instead")
        }
        let known = Self.patchableSettings.union(["state", "state_reason"])
        if let key = patch.keys.first(where: { !known.contains($0) }) {
            throw EngineError.invalid(
                "unknown cursor field \(key); patchable: \(known.sorted().joined(separator: ", "))")
        }
        return try await recordingWrite { tx, log in
            var (c, nowDate) = try CursorRow.lockForChange(tx, name: name)
            let now = nowDate.timeIntervalSince1970
            var settings = JSONObject()
            if case .object(let o) = try JSONParser.parse(try Wire.encodeString(c.settings)) { settings = o }
            var changed = JSONObject()
            for (key, value) in patch where key != "state" && key != "state_reason" {
                if value == .null { settings.removeValue(forKey: key) } else { settings[key] = value }
                changed[key] = value
            }
            let text = JSONWriter(indent: nil, sortKeys: false).string(.object(settings))
            do {
                c.settings = try Wire.decoder.decode(CursorSettings.self, from: Data(text.utf8))
            } catch {
                throw EngineError.invalid("the patched settings do not fit: \(DecodingMessage.describe(error))")
            }
            if let problem = c.settings.problem { throw EngineError.invalid(problem) }
            try checkRolloutSafety(c.settings)
            if !changed.isEmpty { try log.record(.patched, &c, at: now, actor: actor, details: changed, tx: tx) }
            if let state = patch["state"] {
                guard case .string(let s) = state, let target = CursorState(rawValue: s),
                    [.active, .paused, .aborted].contains(target)
                else {
                    throw EngineError.invalid("state can be set to active (resume), paused or aborted")
                }
                let before = c.state
                try Self.transition(&c, to: target)
                try Self.explain(&c, patch["state_reason"], to: target)
                if c.state != before {
                    if target == .active { try GateChecks.forgetFailures(tx, cursorId: c.id) }
                    let kind: CursorEventKind = c.state == .paused ? .paused : c.state == .aborted ? .aborted : .resumed
                    try log.record(kind, &c, at: now, actor: actor, reason: c.stateReason, tx: tx)
                    if c.state == .done { try log.record(.done, &c, at: now, actor: actor, tx: tx) }
                }
            } else if let reason = patch["state_reason"], reason != .null {
                throw EngineError.invalid("state_reason goes with a state (paused or aborted)")
            }
            try c.save(tx, now: RFC3339.string(from: nowDate))
            return c.info(inFlight: try c.inFlight(tx, now: now))
        }
    }

    static func transition(_ c: inout CursorRow, to target: CursorState) throws {
        if c.state == target { return }
        if c.state.isFinished {
            throw EngineError.conflict(
                "cursor_\(c.state.rawValue)",
                "cursor \(c.name) is \(c.state.rawValue); it cannot become \(target.rawValue)")
        }
        switch target {
        case .active:
            c.state = c.hasMore ? .active : .done
            c.stateReason = nil
        case .paused:
            guard c.state == .active else {
                throw EngineError.conflict(
                    "cursor_\(c.state.rawValue)",
                    "cursor \(c.name) is \(c.state.rawValue); only an active cursor can be paused")
            }
            c.state = .paused
            c.stateReason = "paused by an operator"
        case .aborted:
            c.state = .aborted
            c.stateReason = "aborted by an operator"
        default: break
        }
    }
}
