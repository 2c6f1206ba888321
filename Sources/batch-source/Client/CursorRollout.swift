import Foundation
import InventoryModel

/// What `drive` and `play` share as they run one cursor batch by batch: the claim that waits
/// while no batch may start, the stops that end a run with its exit status, and the summary.
protocol CursorRollout: AnyObject {
    var cursor: String { get }
    var service: ServiceClient { get }
    var display: DriveDisplay { get }
    /// How messages tell the user to start the command again: "the drive", "play".
    var rerunName: String { get }
    /// A call to the service, retried; when the retries run out the run stops.
    func serviceCall<T>(_ doing: String, _ body: () async throws -> T) async throws -> T
}

extension CursorRollout {
    var cursorPath: String { "/api/v1/cursors/\(ServiceClient.segment(cursor))" }

    /// Ends the run: says why on the display and returns the error that carries the exit status.
    func stop(_ message: String, exit: Int32) -> CLIError {
        display.closeLive()
        display.emit("stopped", ["reason": .string(message), "exit_code": .int(Int(exit))])
        return CLIError(message, exitCode: exit)
    }

    /// The cursor as the run starts; one the service does not know is a usage error.
    func readCursor() async throws -> CursorInfo {
        do {
            return try await serviceCall("reading cursor \(cursor)") { try await self.service.get(self.cursorPath) }
        } catch ServiceClientError.api(404, _, let message, _) {
            throw stop(message, exit: DriveExit.usage)
        }
    }

    /// Claims (or gets back) the consumer's batch; `nil` after waiting out a bake time or a
    /// closed window (the service's `Retry-After`), so the caller simply claims again.
    func claimNext(_ request: ClaimRequest) async throws -> ClaimResponse? {
        do {
            return try await serviceCall("claiming a batch of \(cursor)") {
                try await self.service.post(self.cursorPath + "/claim", json: request)
            }
        } catch ServiceClientError.api(409, let code, let message, let retryAfter) {
            switch code {
            case "no_batch_free", "outside_window":
                let wait = max(1, retryAfter ?? 5)
                display.emit("waiting", ["reason": .string(message), "retry_after_seconds": .int(wait)])
                display.live("waiting \(wait)s: \(message)")
                try await Task.sleep(for: .seconds(wait))
                return nil
            case "cursor_paused":
                throw stop(
                    "cursor \(cursor) is paused: \(message); resume it (`batch-source cursor resume \(cursor)`) and "
                        + "run \(rerunName) again",
                    exit: DriveExit.paused)
            default:
                throw stop("cursor \(cursor) stopped the rollout: \(message)", exit: DriveExit.stopped)
            }
        } catch ServiceClientError.api(404, _, let message, _) {
            throw stop(message, exit: DriveExit.usage)
        }
    }

    /// Why the work being followed must stop: the cursor was aborted, or it halted and its
    /// `cancel_on_halt` says so. `nil` to go on; a failed look is no reason (the next looks again).
    func stopReason() async -> String? {
        guard let info: CursorInfo = try? await service.get(cursorPath) else { return nil }
        let why = info.stateReason.map { ": \($0)" } ?? ""
        switch info.state {
        case .aborted: return "cursor \(cursor) was aborted\(why)"
        case .halted where info.settings.cancelOnHalt: return "cursor \(cursor) halted\(why) (cancel_on_halt)"
        default: return nil
        }
    }

    /// The end of a rollout: the totals as a `done` event and, for people, a table of the
    /// completed batches (`columns` and `cells` give what differs between the commands, before
    /// the host counts) and a closing line.
    func finish(
        _ progress: CursorProgress, columns: [String], cells: (BatchInfo) -> (leading: [String], elapsed: String)
    ) async throws {
        display.closeLive()
        let batches = try await completedBatches()
        display.emit(
            "done",
            [
                "total_hosts": .int(progress.totalHosts), "hosts_done": .int(progress.hostsDone),
                "ok": .int(progress.hostsOk), "changed": .int(progress.hostsChanged),
                "failed": .int(progress.hostsFailed), "unreachable": .int(progress.hostsUnreachable),
                "skipped": .int(progress.hostsSkipped), "batches": .int(batches.count),
            ])
        guard !display.json else { return }
        var shown = batches
        if batches.count > 200 {  // a very long rollout: only the batches that need a look
            shown = batches.filter { b in
                let counts = DriveDisplay.counts(b.results ?? [:])
                return (counts[.failed] ?? 0) + (counts[.unreachable] ?? 0) > 0
            }
            display.say("(\(batches.count) batches; those with failed or unreachable hosts:)")
        }
        let rows = shown.map { b in
            let counts = DriveDisplay.counts(b.results ?? [:])
            let (leading, elapsed) = cells(b)
            return leading + [String(b.hosts.count)] + HostStatus.allCases.map { String(counts[$0] ?? 0) } + [elapsed]
        }
        Output.table(columns + ["hosts"] + HostStatus.allCases.map(\.rawValue) + ["elapsed"], rows)
        display.say(
            "rollout \(cursor) done: \(progress.hostsDone)/\(progress.totalHosts) hosts — ok \(progress.hostsOk), "
                + "changed \(progress.hostsChanged), failed \(progress.hostsFailed), unreachable "
                + "\(progress.hostsUnreachable), skipped \(progress.hostsSkipped)")
    }

    /// Every completed batch of the cursor, oldest first, read page by page.
    private func completedBatches() async throws -> [BatchInfo] {
        var batches: [BatchInfo] = []
        while true {
            let offset = batches.count
            let page: Page<BatchInfo> = try await serviceCall("listing batches") {
                try await self.service.get(
                    self.cursorPath + "/batches",
                    query: [("state", "completed"), ("limit", "1000"), ("offset", String(offset))])
            }
            batches += page.items
            if page.items.isEmpty || batches.count >= page.total { break }
        }
        return batches.sorted { $0.batchId < $1.batchId }
    }
}
