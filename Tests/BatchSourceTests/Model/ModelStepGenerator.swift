import Foundation
import InventoryModel

@testable import BatchSource

/// The seeded choice of steps: a few cursors of different settings, consumers with and
/// without claim keys (sometimes reused), and mostly calls that the engine should accept.
struct ModelStepGenerator {
    static let consumers = ["awx-1", "awx-2", "laptop", "seed"]
    static let batchSizes = ["4", "1,3,25%", "3", "6", "5,10%"]

    var rng: SplitMix64
    /// Every host of the pool, in inventory order.
    let hosts: [String]
    /// The cursors steps go to; a finished one is replaced by a new cursor or its retry.
    private(set) var slots: [String] = []
    private var made = 0
    private var keys: [String] = []
    private var refs = 0

    init(seed: UInt64, hosts: [String]) {
        rng = SplitMix64(seed: seed)
        self.hosts = hosts
    }

    mutating func next(_ model: EngineModel) -> ModelStep {
        if slots.count < 3 { return create(slot: slots.count) }
        let slot = Int.random(in: 0..<slots.count, using: &rng)
        let c = model.cursors[slots[slot]]!
        if c.state.isFinished && rng.chance(60) {
            if c.hostResults.values.contains(where: \.isFailure) && rng.chance(50) { return retry(c, slot: slot) }
            return create(slot: slot)
        }
        if (c.state == .paused || c.state == .halted) && rng.chance(12) {
            return .patch(c.name, ModelPatch(state: .active))
        }
        if c.batches.isEmpty && rng.chance(80) { return claim(c) }
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case ..<33: return claim(c)
        case ..<53:
            let b = batch(of: c)
            return .complete(c.name, batch: b?.id ?? c.batches.count + 1, results(b), identity(b))
        case ..<61:
            let b = batch(of: c)
            return .heartbeat(c.name, batch: b?.id ?? c.batches.count + 1, leaseCall(b))
        case ..<67:
            let b = batch(of: c)
            return .release(c.name, batch: b?.id ?? c.batches.count + 1, identity(b))
        case ..<78: return advance(model)
        case ..<89: return .patch(c.name, patch(c))
        case ..<93:
            let who = claimer()
            return .peek(c.name, consumer: rng.chance(85) ? who.consumer : nil, claimKey: who.claimKey)
        case ..<95 where c.hostResults.values.contains(where: \.isFailure): return retry(c, slot: slot)
        default: return claim(c)
        }
    }

    private mutating func nextName() -> String {
        made += 1
        return "c\(made)"
    }

    private mutating func create(slot: Int) -> ModelStep {
        let name = nextName()
        if slot == slots.count { slots.append(name) } else { slots[slot] = name }
        let limit = rng.chance(70) ? nil : rng.pick(["web1*", "web0*:web2*"])
        let order: HostOrder = rng.chance(70) ? .inventory : rng.pick([.reverseInventory, .reverseSorted])
        let settings = CursorSettings(
            pool: "fleet", limit: limit, order: order, batchSize: try! BatchSize(parsing: rng.pick(Self.batchSizes)),
            leaseSeconds: rng.pick([5, 10, 30, 60]), maxInFlight: rng.pick([1, 1, 2, 3, 3]),
            ack: rng.chance(30) ? .auto : .explicit, maxFailPercentage: rng.chance(30) ? rng.pick([0, 25, 50]) : nil,
            maxFailedHosts: rng.chance(15) ? rng.pick([2, 5]) : nil,
            pauseAfter: rng.chance(40) ? [rng.pick([1, 2])] : [])
        var plan = hosts
        switch limit {
        case "web1*": plan = hosts.filter { $0.hasPrefix("web1") }
        case "web0*:web2*": plan = hosts.filter { $0.hasPrefix("web0") || $0.hasPrefix("web2") }
        default: break
        }
        return .create(name, settings, plan: order == .inventory ? plan : plan.reversed())
    }

    private mutating func retry(_ c: ModelCursor, slot: Int) -> ModelStep {
        let name = nextName()
        slots[slot] = name
        return .retry(c.name, as: name, batchSize: rng.chance(50) ? nil : rng.pick(Self.batchSizes))
    }

    /// A consumer, with no claim key, a new one, or one seen before (perhaps another's).
    private mutating func claimer() -> ModelIdentity {
        let consumer = rng.pick(Self.consumers)
        let roll = Int.random(in: 0..<100, using: &rng)
        if roll < 40 { return ModelIdentity(consumer: consumer, claimKey: nil) }
        if roll < 75 || keys.isEmpty {
            keys.append("k\(keys.count + 1)")
            return ModelIdentity(consumer: consumer, claimKey: keys.last)
        }
        return ModelIdentity(consumer: consumer, claimKey: rng.pick(Array(keys.suffix(12))))
    }

    private mutating func claim(_ c: ModelCursor) -> ModelStep {
        .claim(c.name, claimer(), ackOverride: rng.chance(5) ? .auto : nil)
    }

    /// Mostly a batch under a lease, else any batch; nil for one that does not exist yet.
    private mutating func batch(of c: ModelCursor) -> ModelBatch? {
        let leased = c.batches.filter { $0.state == .leased }
        if !leased.isEmpty && rng.chance(75) { return rng.pick(leased) }
        if !c.batches.isEmpty && rng.chance(95) { return rng.pick(c.batches) }
        return nil
    }

    /// Who a completion, heartbeat or release speaks for: mostly the holder, by consumer,
    /// claim key or both; else another consumer, another key, an earlier holder, nobody, or an
    /// admin's force.
    private mutating func identity(_ b: ModelBatch?) -> ModelAttemptCall {
        guard let b, let consumer = b.consumer else {
            let who = claimer()
            return ModelAttemptCall(consumer: who.consumer, claimKey: who.claimKey)
        }
        let other = rng.pick(Self.consumers.filter { $0 != consumer })
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case ..<60:
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: return ModelAttemptCall(consumer: consumer)
            case 1 where b.claimKey != nil: return ModelAttemptCall(claimKey: b.claimKey)
            default: return ModelAttemptCall(consumer: consumer, claimKey: b.claimKey)
            }
        case ..<70: return ModelAttemptCall(consumer: other, claimKey: rng.chance(50) ? b.claimKey : nil)
        case ..<78:
            let key = keys.isEmpty || rng.chance(30) ? "k-unknown" : rng.pick(keys)
            return ModelAttemptCall(consumer: rng.chance(50) ? consumer : nil, claimKey: key)
        case ..<88:
            guard let earlier = b.earlierHolders.last else { return ModelAttemptCall(consumer: other) }
            return ModelAttemptCall(consumer: earlier.consumer, claimKey: rng.chance(50) ? earlier.claimKey : nil)
        case ..<93: return ModelAttemptCall()
        case ..<98: return ModelAttemptCall(consumer: rng.chance(50) ? other : nil, force: true, forcedBy: "admin")
        default: return ModelAttemptCall(consumer: consumer, force: true)
        }
    }

    private mutating func leaseCall(_ b: ModelBatch?) -> ModelAttemptCall {
        var call = identity(b)
        if rng.chance(30) { call.leaseSeconds = rng.pick([1, 5, 20, 60]) }
        if rng.chance(30) {
            refs += 1
            call.externalRef = "job-\(refs)"
        }
        return call
    }

    /// Results for a completion: mostly ok hosts left unnamed, a few others, now and then a
    /// batch whose every host failed; for a completed batch often the same results again.
    private mutating func results(_ b: ModelBatch?) -> [String: HostStatus] {
        guard let b else { return [:] }
        if let done = b.results, rng.chance(50) {
            return rng.chance(50) ? done : done.filter { $0.value != .ok }
        }
        var results: [String: HostStatus] = [:]
        if rng.chance(5) {
            for host in b.hosts { results[host] = rng.pick([.failed, .unreachable]) }
            return results
        }
        for host in b.hosts where rng.chance(25) {
            results[host] = rng.pick([.ok, .ok, .changed, .changed, .failed, .unreachable, .skipped])
        }
        if rng.chance(3), let stranger = hosts.first(where: { !b.hosts.contains($0) }) { results[stranger] = .ok }
        return results
    }

    /// A little time, or just to the end of the next lease, or well past every lease.
    private mutating func advance(_ model: EngineModel) -> ModelStep {
        let ends = model.cursors.values.flatMap(\.batches).filter { $0.state == .leased }.compactMap(\.leaseEnd)
            .filter { $0 > model.now }
        let roll = Int.random(in: 0..<100, using: &rng)
        if roll < 40, let next = ends.min() { return .advance(next - model.now + (rng.chance(50) ? 0 : 1)) }
        if roll < 90 { return .advance(Double(rng.pick([1, 2, 3]))) }
        return .advance(Double(rng.pick([61, 90, 120])))
    }

    private mutating func patch(_ c: ModelCursor) -> ModelPatch {
        if (c.state == .paused || c.state == .halted) && rng.chance(65) { return ModelPatch(state: .active) }
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case ..<22: return ModelPatch(state: .paused, reason: rng.chance(40) ? "canary looks odd" : nil)
        case ..<25: return ModelPatch(state: .aborted, reason: rng.chance(50) ? "wrong pool" : nil)
        case ..<35: return ModelPatch(state: .active)
        default:
            var settings: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 1...2, using: &rng) {
                switch Int.random(in: 0..<7, using: &rng) {
                case 0: settings["batch_size"] = Self.json(batchSize: rng.pick(Self.batchSizes))
                case 1: settings["max_in_flight"] = .int(rng.pick([1, 2, 3]))
                case 2: settings["lease_seconds"] = .int(rng.pick([5, 10, 30, 60]))
                case 3: settings["ack"] = .string(rng.pick(["explicit", "auto"]))
                case 4: settings["max_fail_percentage"] = rng.pick([.null, .int(0), .int(25), .int(50)])
                case 5: settings["max_failed_hosts"] = rng.pick([.null, .int(2), .int(5)])
                default:
                    let next = c.batches.count + 1
                    settings["pause_after"] = .array(rng.pick([[], [next], [next, next + 1]]).map { .int($0) })
                }
            }
            return ModelPatch(settings: settings)
        }
    }

    /// A batch size as JSON: a count, a percentage string, or a ramp list.
    static func json(batchSize text: String) -> JSONValue {
        let items = text.split(separator: ",").map { part -> JSONValue in
            Int(part).map { .int($0) } ?? .string(String(part))
        }
        return items.count == 1 ? items[0] : .array(items)
    }
}
