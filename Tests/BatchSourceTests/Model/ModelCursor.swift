import Foundation
import InventoryModel

@testable import BatchSource

/// A cursor of the reference model: settings, state, its batches and the claim keys it saw.
struct ModelCursor {
    var name: String
    var settings: CursorSettings
    var plan: [String]
    var state: CursorState = .active
    var reason: ModelReason?
    var retryOf: String?
    var nextPosition = 0
    var batches: [ModelBatch] = []
    var claimKeys: [String: Int] = [:]
    var counts: [HostStatus: Int] = [:]
    /// Each host's result from its completed batch.
    var hostResults: [String: HostStatus] = [:]

    var hostsDone: Int { counts.values.reduce(0, +) }
    var hostsFailed: Int { (counts[.failed] ?? 0) + (counts[.unreachable] ?? 0) }
    var hasMore: Bool { hostsDone < plan.count }
    var batchesCompleted: Int { batches.filter { $0.state == .completed }.count }

    func inFlight(at now: Double) -> Int { batches.filter { $0.effectiveState(at: now) == .leased }.count }

    /// Ansible's `serial` item as a host count of this rollout, never less than one.
    func nominalSize(ofBatch k: Int) -> Int {
        let items = settings.batchSize.items
        switch items[min(k, items.count) - 1] {
        case .count(let n): return max(1, n)
        case .percent(let p): return max(1, Int(Double(p) / 100.0 * Double(plan.count)))
        }
    }

    /// Batches made so far plus those the hosts left would make with the current batch size.
    var batchesTotal: Int {
        var k = batches.count + 1
        var left = plan.count - nextPosition
        while left > 0 {
            left -= min(left, nominalSize(ofBatch: k))
            k += 1
        }
        return k - 1
    }

    func progress(at now: Double) -> CursorProgress {
        CursorProgress(
            totalHosts: plan.count, hostsDone: hostsDone, hostsOk: counts[.ok] ?? 0,
            hostsChanged: counts[.changed] ?? 0, hostsFailed: counts[.failed] ?? 0,
            hostsUnreachable: counts[.unreachable] ?? 0, hostsSkipped: counts[.skipped] ?? 0,
            batchesTotal: batchesTotal, batchesCompleted: batchesCompleted, batchesInFlight: inFlight(at: now))
    }

    func view(at now: Double) -> CursorView {
        CursorView(state: state, hasMore: hasMore, retryOf: retryOf, progress: progress(at: now))
    }

    func claimView(_ batch: Int?, at now: Double) -> ClaimView {
        ClaimView(
            cursorState: state, hasMore: hasMore, batch: batch.map { batches[$0 - 1].view(at: now) },
            progress: progress(at: now))
    }

    /// Completes batch `id` with `statuses` (unnamed hosts ok), then judges thresholds,
    /// `pause_after` and the end of the rollout, as DESIGN.md's completion does.
    mutating func finish(_ id: Int, statuses: [String: HostStatus], at now: Double) {
        var results: [String: HostStatus] = [:]
        var failed = 0
        for host in batches[id - 1].hosts {
            let status = statuses[host] ?? .ok
            results[host] = status
            hostResults[host] = status
            counts[status, default: 0] += 1
            if status.isFailure { failed += 1 }
        }
        batches[id - 1].state = .completed
        batches[id - 1].results = results
        batches[id - 1].completedAt = now
        guard state == .active || state == .paused else { return }
        let size = batches[id - 1].hosts.count
        if let pct = settings.maxFailPercentage, Int(pct / 100.0 * Double(size)) < failed {
            (state, reason) = (.halted, .maxFailPercentage)
        } else if size > 0 && failed == size {
            (state, reason) = (.halted, .allFailed)
        } else if let max = settings.maxFailedHosts, hostsFailed > max {
            (state, reason) = (.halted, .maxFailedHosts)
        } else if !hasMore {
            (state, reason) = (.done, nil)
        } else if state == .active && settings.pauseAfter.contains(id) {
            (state, reason) = (.paused, .pauseAfter)
        }
    }

    /// Starts a new attempt of batch `id` for `holder`.
    mutating func lease(_ id: Int, to holder: ModelIdentity, at now: Double) {
        var b = batches[id - 1]
        if b.attempt > 0, let consumer = b.consumer {
            b.earlierHolders.append(ModelIdentity(consumer: consumer, claimKey: b.claimKey))
        }
        b.attempt += 1
        b.state = .leased
        b.consumer = holder.consumer
        b.claimKey = holder.claimKey
        b.leaseEnd = now + Double(settings.leaseSeconds)
        b.externalRef = nil
        batches[id - 1] = b
    }
}

/// Why a cursor is not active, as far as the model predicts it.
enum ModelReason: Equatable {
    case operatorPause(String?)
    case operatorAbort(String?)
    case pauseAfter
    case maxFailPercentage
    case allFailed
    case maxFailedHosts

    /// Words the engine's reason must contain.
    var mark: String {
        switch self {
        case .operatorPause(let words): return "paused by an operator" + (words.map { ": \($0)" } ?? "")
        case .operatorAbort(let words): return "aborted by an operator" + (words.map { ": \($0)" } ?? "")
        case .pauseAfter: return "(pause_after)"
        case .maxFailPercentage: return "max_fail_percentage"
        case .allFailed: return ": all "
        case .maxFailedHosts: return "max_failed_hosts"
        }
    }
}
