import Foundation
import InventoryModel

extension PlayRunner {
    /// The end: a table of the rollout's batches and totals, as `drive` prints it.
    func finish(_ progress: CursorProgress) async throws {
        var batches: [BatchInfo] = []
        var offset = 0
        while true {
            let page: Page<BatchInfo> = try await call("listing batches") {
                try await self.service.get(
                    self.cursorPath + "/batches",
                    query: [("state", "completed"), ("limit", "1000"), ("offset", String(offset))])
            }
            batches += page.items
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        batches.sort { $0.batchId < $1.batchId }
        display.emit(
            "done",
            [
                "total_hosts": .int(progress.totalHosts), "hosts_done": .int(progress.hostsDone),
                "ok": .int(progress.hostsOk), "changed": .int(progress.hostsChanged),
                "failed": .int(progress.hostsFailed),
                "unreachable": .int(progress.hostsUnreachable), "skipped": .int(progress.hostsSkipped),
                "batches": .int(batches.count),
            ])
        guard !display.json else { return }
        var rows: [[String]] = []
        for b in batches {
            let counts = DriveDisplay.counts(b.results ?? [:])
            let run = played[b.batchId]
            var exit = "-", elapsed = "-"
            if let run {
                exit = run.status.map { String($0) } ?? "followed"
                elapsed = DriveDisplay.duration(run.elapsed)
            }
            var row: [String] = [String(b.batchId), String(b.attempt), exit, String(b.hosts.count)]
            for status in HostStatus.allCases { row.append(String(counts[status] ?? 0)) }
            row.append(elapsed)
            rows.append(row)
        }
        if rows.count > 200 {  // a very long rollout: the batches with failed or unreachable hosts
            rows = rows.filter { ($0[6] != "0") || ($0[7] != "0") }
            display.say("(\(batches.count) batches; those with failed or unreachable hosts:)")
        }
        Output.table(["batch", "attempt", "exit", "hosts"] + HostStatus.allCases.map(\.rawValue) + ["elapsed"], rows)
        display.say(
            "rollout \(config.cursor) done: \(progress.hostsDone)/\(progress.totalHosts) hosts — ok "
                + "\(progress.hostsOk), "
                + "changed \(progress.hostsChanged), failed \(progress.hostsFailed), unreachable "
                + "\(progress.hostsUnreachable), skipped \(progress.hostsSkipped)"
        )
    }
}
