import Foundation
import InventoryModel

extension Driver {
    /// The end: a table of the rollout's batches and totals.
    func finish(_ progress: CursorProgress) async throws {
        display.closeLive()
        var batches: [BatchInfo] = []
        var offset = 0
        while true {
            let page: Page<BatchInfo> = try await serviceCall("listing batches") {
                try await self.service.get(
                    self.cursorPath + "/batches",
                    query: [("state", "completed"), ("limit", "1000"), ("offset", String(offset))])
            }
            batches += page.items
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        batches.sort { $0.batchId < $1.batchId }
        let totals: JSONObject = [
            "total_hosts": .int(progress.totalHosts), "hosts_done": .int(progress.hostsDone),
            "ok": .int(progress.hostsOk), "changed": .int(progress.hostsChanged), "failed": .int(progress.hostsFailed),
            "unreachable": .int(progress.hostsUnreachable), "skipped": .int(progress.hostsSkipped),
            "batches": .int(batches.count),
        ]
        display.emit("done", totals)
        guard !display.json else { return }
        var rows: [[String]] = []
        for b in batches {
            let counts = DriveDisplay.counts(b.results ?? [:])
            let run = finished[b.batchId]
            let job =
                run.map { "\($0.job)" } ?? b.externalRef.flatMap(AWXJobRef.init(externalRef:)).map { "\($0)" } ?? "-"
            rows.append(
                [String(b.batchId), job, run?.status ?? "-", String(b.hosts.count)]
                    + HostStatus.allCases.map { String(counts[$0] ?? 0) } + [
                        run?.elapsed.map(DriveDisplay.duration) ?? "-"
                    ])
        }
        if rows.count > 200 {  // a very long rollout: the batches with failures, then totals
            rows = rows.filter { ($0[6] != "0") || ($0[7] != "0") }
            display.say("(\(batches.count) batches; those with failed or unreachable hosts:)")
        }
        Output.table(["batch", "job", "status", "hosts"] + HostStatus.allCases.map(\.rawValue) + ["elapsed"], rows)
        display.say(
            "rollout \(config.cursor) done: \(progress.hostsDone)/\(progress.totalHosts) hosts — ok "
                + "\(progress.hostsOk), "
                + "changed \(progress.hostsChanged), failed \(progress.hostsFailed), unreachable "
                + "\(progress.hostsUnreachable), skipped \(progress.hostsSkipped)"
        )
    }
}
