import Foundation
import InventoryModel

@testable import BatchSource

/// The reference model of the engine: DESIGN.md's claim rules, completion, heartbeat,
/// release, fencing, pause and resume, patches and retry, over plain values, so that a
/// sequence of steps run against a real store can be checked answer by answer.
struct EngineModel {
    /// Every cursor ever made, by name (names stay taken after a rollout ends).
    var cursors: [String: ModelCursor] = [:]
    /// The store clock's time, moved only by the test.
    var now: Double
    /// How often each path of the rules was taken, so a run can show that it reached them all.
    var reached: [ModelPath: Int] = [:]

    init(now: Double) { self.now = now }

    mutating func create(_ name: String, settings: CursorSettings, plan: [String], retryOf: String? = nil)
        -> ModelOutcome<CursorView>
    {
        guard cursors[name] == nil else { return .refused("cursor_exists") }
        let c = ModelCursor(name: name, settings: settings, plan: plan, retryOf: retryOf)
        cursors[name] = c
        return .ok(c.view(at: now))
    }

    /// Claim rules 1-6, in their order.
    mutating func claim(_ name: String, _ who: ModelIdentity, ackOverride: AckMode? = nil) -> ModelOutcome<ClaimView> {
        guard var c = cursors[name] else { return .refused("not_found") }
        defer { cursors[name] = c }
        if let key = who.claimKey, let id = c.claimKeys[key] {
            reach(.rule1)
            return .ok(c.claimView(id, at: now))
        }
        if let held = c.batches.first(where: { $0.state == .leased && $0.consumer == who.consumer }) {
            if (ackOverride ?? c.settings.ack) == .explicit {
                reach(.rule2Explicit)
                if (held.leaseEnd ?? 0) <= now {
                    c.batches[held.id - 1].leaseEnd = now + Double(c.settings.leaseSeconds)
                }
                if let key = who.claimKey { c.claimKeys[key] = held.id }
                return .ok(c.claimView(held.id, at: now))
            }
            reach(.rule2Auto)
            c.finish(held.id, statuses: [:], at: now)
        }
        switch c.state {
        case .active: break
        case .done: return .ok(c.claimView(nil, at: now))
        default:
            reach(.rule3)
            return .refused("cursor_\(c.state.rawValue)")
        }
        if let again = c.batches.first(where: { $0.effectiveState(at: now) == .available }) {
            reach(again.state == .leased ? .rule4Expired : .rule4Released)
            c.lease(again.id, to: who, at: now)
            if let key = who.claimKey { c.claimKeys[key] = again.id }
            return .ok(c.claimView(again.id, at: now))
        }
        if c.inFlight(at: now) < c.settings.maxInFlight && c.nextPosition < c.plan.count {
            let id = c.batches.count + 1
            let size = min(c.plan.count - c.nextPosition, c.nominalSize(ofBatch: id))
            c.batches.append(
                ModelBatch(
                    id: id, hosts: Array(c.plan[c.nextPosition..<(c.nextPosition + size)]), state: .available,
                    attempt: 0))
            reach(.rule5)
            c.nextPosition += size
            c.lease(id, to: who, at: now)
            if let key = who.claimKey { c.claimKeys[key] = id }
            return .ok(c.claimView(id, at: now))
        }
        reach(.rule6)
        let firstEnd = c.batches.filter { $0.state == .leased }.compactMap(\.leaseEnd).min() ?? now + 5
        return .refused("no_batch_free", retryAfter: max(1, min(60, Int((firstEnd - now).rounded(.up)))))
    }

    /// What a claim would re-read, claiming nothing: the key's batch, else the consumer's.
    func currentBatch(_ name: String, consumer: String?, claimKey: String?) -> ModelOutcome<ClaimView> {
        guard let c = cursors[name] else { return .refused("not_found") }
        if let claimKey, let id = c.claimKeys[claimKey] { return .ok(c.claimView(id, at: now)) }
        if let consumer, let held = c.batches.first(where: { $0.state == .leased && $0.consumer == consumer }) {
            return .ok(c.claimView(held.id, at: now))
        }
        return .refused("no_current_batch")
    }

    /// Fencing: nil when the caller may act for the batch's current attempt, else the refusal.
    mutating func fence(_ b: ModelBatch, _ call: ModelAttemptCall, keys: [String: Int]) -> String? {
        if call.force {
            if call.forcedBy != nil { reach(.forced) }
            return call.forcedBy == nil ? "forbidden" : nil
        }
        if call.consumer == nil && call.claimKey == nil { return "invalid_request" }
        // With the holder's consumer, any key the batch was claimed under names the attempt too.
        let keyMatches = call.claimKey.map {
            $0 == b.claimKey || (call.consumer != nil && call.consumer == b.consumer && keys[$0] == b.id)
        }
        let matches = (call.consumer.map { $0 == b.consumer } ?? true) && (keyMatches ?? true)
        if !matches { reach(.notHolder) }
        return matches ? nil : "not_holder"
    }

    mutating func complete(_ name: String, batch id: Int, _ statuses: [String: HostStatus], _ call: ModelAttemptCall)
        -> ModelOutcome<BatchView>
    {
        guard var c = cursors[name], c.batches.indices.contains(id - 1) else { return .refused("not_found") }
        let b = c.batches[id - 1]
        if b.state == .completed {
            if let refusal = fence(b, call, keys: c.claimKeys) { return .refused(refusal) }
            var wanted = (b.results ?? [:]).mapValues { _ in HostStatus.ok }
            for (host, status) in statuses { wanted[host] = status }
            guard wanted == b.results else { return .refused("batch_completed") }
            reach(.completionRepeated)
            return .ok(b.view(at: now))
        }
        guard b.state == .leased else { return .refused("batch_not_leased") }
        if let refusal = fence(b, call, keys: c.claimKeys) { return .refused(refusal) }
        guard statuses.keys.allSatisfy(b.hosts.contains) else { return .refused("invalid_request") }
        if (b.leaseEnd ?? 0) <= now { reach(.completedAfterLeaseEnd) }
        let before = c.state
        c.finish(id, statuses: statuses, at: now)
        if c.state != before { reach(c.state == .halted ? .halted : c.state == .done ? .done : .pausedAfter) }
        cursors[name] = c
        return .ok(c.batches[id - 1].view(at: now))
    }

    /// Heartbeat (`release` false) or release: only a leased batch, only by its attempt.
    mutating func changeLease(_ name: String, batch id: Int, release: Bool, _ call: ModelAttemptCall)
        -> ModelOutcome<BatchView>
    {
        guard var c = cursors[name], c.batches.indices.contains(id - 1) else { return .refused("not_found") }
        var b = c.batches[id - 1]
        guard b.state == .leased else {
            return .refused(b.state == .completed ? "batch_completed" : "batch_not_leased")
        }
        if let refusal = fence(b, call, keys: c.claimKeys) { return .refused(refusal) }
        if let ref = call.externalRef { b.externalRef = ref }
        reach(release ? .released : .heartbeat)
        if release {
            b.state = .available
            b.leaseEnd = nil
        } else {
            b.leaseEnd = now + Double(call.leaseSeconds ?? c.settings.leaseSeconds)
        }
        c.batches[id - 1] = b
        cursors[name] = c
        return .ok(b.view(at: now))
    }

    /// A merge patch of settings and, optionally, a state (with a reason for a pause or abort).
    mutating func patch(_ name: String, _ change: ModelPatch) -> ModelOutcome<CursorView> {
        guard var c = cursors[name] else { return .refused("not_found") }
        change.apply(to: &c.settings)
        if let target = change.state, target != c.state {
            if c.state.isFinished { return .refused("cursor_\(c.state.rawValue)") }
            switch target {
            case .active: (c.state, c.reason) = (c.hasMore ? .active : .done, nil)
            case .paused:
                guard c.state == .active else { return .refused("cursor_\(c.state.rawValue)") }
                (c.state, c.reason) = (.paused, .operatorPause(nil))
            default: (c.state, c.reason) = (.aborted, .operatorAbort(nil))
            }
        }
        if let words = change.reason, let target = change.state {
            guard target == c.state else { return .refused("invalid_request") }
            c.reason = target == .aborted ? .operatorAbort(words) : .operatorPause(words)
        }
        cursors[name] = c
        return .ok(c.view(at: now))
    }

    /// A new cursor over the failed and unreachable hosts of `name`, in its plan's order.
    mutating func retry(_ name: String, as newName: String, batchSize: BatchSize?) -> ModelOutcome<CursorView> {
        guard let old = cursors[name] else { return .refused("not_found") }
        let hosts = old.plan.filter { old.hostResults[$0]?.isFailure == true }
        guard !hosts.isEmpty else { return .refused("invalid_request") }
        reach(.retry)
        var settings = old.settings
        if let batchSize { settings.batchSize = batchSize }
        return create(newName, settings: settings, plan: hosts, retryOf: name)
    }

    /// Moves the clock on: leases end by it, nothing else changes.
    mutating func advance(by seconds: Double) { now += seconds }

    private mutating func reach(_ path: ModelPath) { reached[path, default: 0] += 1 }
}

/// An answer: a value, or the engine's refusal by its code (and, for `no_batch_free`, when to
/// ask again).
enum ModelOutcome<Value: Equatable>: Equatable {
    case ok(Value)
    case refused(String, retryAfter: Int? = nil)
}

/// The paths through the rules a run should take, to show that its steps reach them all.
enum ModelPath: String, CaseIterable, Comparable {
    case rule1 = "claim rule 1: the claim key's batch again"
    case rule2Explicit = "claim rule 2: the held batch again (explicit)"
    case rule2Auto = "claim rule 2: the held batch completed (auto)"
    case rule3 = "claim rule 3: the cursor is not active"
    case rule4Expired = "claim rule 4: an expired lease taken over"
    case rule4Released = "claim rule 4: a released batch"
    case rule5 = "claim rule 5: a new batch"
    case rule6 = "claim rule 6: nothing free"
    case heartbeat = "a heartbeat"
    case released = "a release"
    case completedAfterLeaseEnd = "a completion after the lease ended, nobody having taken over"
    case completionRepeated = "a completion repeated with the same results"
    case notHolder = "fencing: not the holder"
    case forced = "fencing: forced by an admin"
    case halted = "a threshold halted the cursor"
    case pausedAfter = "pause_after paused the cursor"
    case done = "the rollout was done"
    case retry = "a retry cursor"

    static func < (a: ModelPath, b: ModelPath) -> Bool { a.rawValue < b.rawValue }
}
