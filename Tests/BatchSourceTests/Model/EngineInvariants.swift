import Foundation
import InventoryModel

@testable import BatchSource

/// DESIGN.md's invariants, judged from what the engine shows of a cursor (its info and its
/// batches), beside the model's view of the same cursor.
struct EngineInvariants {
    /// Each cursor's batches as last read, to judge what may change from one read to the next.
    private var seen: [String: [BatchView]] = [:]

    /// What is wrong with cursor `name` now; empty when nothing is.
    mutating func check(_ name: String, engine: BatchEngine, model: EngineModel) async throws -> [String] {
        // Two reads at once: nothing writes meanwhile, and on PostgreSQL each is a few round trips.
        async let cursor = engine.cursors.cursor(name)
        async let batchPage = engine.cursors.batches(name, state: nil, limit: 1000, offset: 0)
        let (info, page) = try await (cursor, batchPage)
        let batches = page.items.map(BatchView.init)
        let m = model.cursors[name]!
        var problems: [String] = []
        func expect(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { problems.append("\(name): \(what())") } }

        let expected = m.view(at: model.now)
        expect(CursorView(info) == expected, "the cursor is \(CursorView(info)), the model says \(expected)")
        if let reason = m.reason, [.paused, .halted, .aborted].contains(m.state) {
            expect(
                info.stateReason?.contains(reason.mark) == true,
                "state_reason \(info.stateReason ?? "none") does not say \(reason.mark)")
        } else if m.state == .active || m.state == .done {
            expect(info.stateReason == nil, "an \(m.state.rawValue) cursor has state_reason \(info.stateReason ?? "")")
        }
        expect(page.total == m.batches.count, "\(page.total) batches, the model has \(m.batches.count)")
        for (batch, modelled) in zip(batches, m.batches.map { $0.view(at: model.now) }) where batch != modelled {
            problems.append("\(name): the engine has \(batch), the model \(modelled)")
        }

        // The invariants, from the engine's answers alone (the plan is the model's).
        expect(
            batches.map(\.batchId) == Array(1..<(batches.count + 1)),
            "batch numbers \(batches.map(\.batchId)) are not 1, 2, 3, …")
        let inBatches = batches.flatMap(\.hosts)
        expect(Set(inBatches).count == inBatches.count, "a host is in two batches: \(inBatches)")
        expect(inBatches == Array(m.plan.prefix(inBatches.count)), "the batches do not cover the plan in order")
        var counts: [HostStatus: Int] = [:]
        var done = Set<String>()
        for b in batches where b.state == .completed {
            for status in (b.results ?? [:]).values { counts[status, default: 0] += 1 }
            done.formUnion(b.hosts)
            expect(b.results.map { Set($0.keys) } == Set(b.hosts), "batch \(b.batchId)'s results are not its hosts")
        }
        let p = info.progress
        expect(
            [p.hostsOk, p.hostsChanged, p.hostsFailed, p.hostsUnreachable, p.hostsSkipped]
                == [HostStatus.ok, .changed, .failed, .unreachable, .skipped].map { counts[$0] ?? 0 },
            "the counts \(p) are not those of the completed batches' results \(counts)")
        expect(p.hostsDone == done.count, "hosts_done \(p.hostsDone), completed batches hold \(done.count)")
        expect(p.batchesCompleted == batches.filter { $0.state == .completed }.count, "batches_completed is off")
        expect(p.batchesInFlight == batches.filter { $0.state == .leased }.count, "batches_in_flight is off")
        expect(p.totalHosts == m.plan.count, "total_hosts \(p.totalHosts), the plan has \(m.plan.count)")
        expect(info.hasMore == !Set(m.plan).isSubset(of: done), "has_more \(info.hasMore) with \(done.count) done")
        expect(info.state != .done || !info.hasMore, "done with hosts left")
        expect(info.state != .active || info.hasMore, "active with no host left")

        let earlier = seen[name] ?? []
        expect(batches.count >= earlier.count, "batches went missing: \(earlier.count) before, \(batches.count) now")
        for (before, now) in zip(earlier, batches) {
            if before.state == .completed {
                expect(
                    now.state == .completed && now.results == before.results && now.attempt == before.attempt
                        && now.completedAt == before.completedAt,
                    "completed \(before) became \(now)")
            }
            if now.attempt != before.attempt {
                let ended = before.leaseExpiresAt.flatMap(RFC3339.date(from:)).map {
                    $0.timeIntervalSince1970 <= model.now
                }
                expect(
                    now.attempt == before.attempt + 1 && (before.state == .available || ended == true),
                    "\(before) went to another attempt (\(now)) before its lease ended or it was released")
            } else {
                expect(
                    now.consumer == before.consumer && now.claimKey == before.claimKey,
                    "\(before) changed hands: \(now)")
            }
        }
        seen[name] = batches
        return problems
    }
}
