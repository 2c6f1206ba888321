import Foundation
import InventoryModel

/// Runs a rollout through AWX: claim a batch, launch a job for it, follow it, complete the
/// batch with the job's per-host results, until the cursor is done or stops.
///
/// The drive keeps no state of its own: the job it launched is recorded on the batch's
/// attempt (`external_ref`), and the claim rules give a restarted drive its batch back.
final class Driver: CursorRollout {
    let config: DriveConfig
    let service: ServiceClient
    let awx: AWXClient
    let display: DriveDisplay
    var leaseSeconds = CursorSettings.defaultLeaseSeconds
    var template: AWXTemplate?
    /// Jobs this run followed to their end, for the summary.
    var finished: [Int: (job: AWXJobRef, status: String, elapsed: Double?)] = [:]

    init(config: DriveConfig, service: ServiceClient, awx: AWXClient, display: DriveDisplay) {
        self.config = config
        self.service = service
        self.awx = awx
        self.display = display
    }

    var cursor: String { config.cursor }
    let rerunName = "the drive"

    /// Runs until the rollout is done (returns) or stops (throws a CLIError with the exit status).
    func run() async throws {
        let info = try await readCursor()
        leaseSeconds = info.settings.leaseSeconds
        let template = try await awxCall { try await self.awx.template(self.config.templateKind, self.config.template) }
        self.template = template
        display.emit(
            "start",
            [
                "cursor": .string(config.cursor), "consumer": .string(config.consumer),
                "template": .object([
                    "kind": .string(config.templateKind.label), "id": .int(template.id), "name": .string(template.name),
                ]),
                "total_hosts": .int(info.progress.totalHosts), "hosts_done": .int(info.progress.hostsDone),
            ])
        display.say(
            "drive \(config.cursor): \(config.templateKind.label) \(template.id) \"\(template.name)\" on "
                + "\(awx.settings.host); "
                + "\(info.progress.hostsDone)/\(info.progress.totalHosts) hosts done")
        while true {
            guard let claim = try await claimNext(ClaimRequest(consumer: config.consumer)) else { continue }
            guard let batch = claim.batch else {
                try await finish(claim.progress, columns: ["batch", "job", "status"]) { b in
                    let run = self.finished[b.batchId]
                    let job =
                        run.map { "\($0.job)" } ?? b.externalRef.flatMap(AWXJobRef.init(externalRef:)).map { "\($0)" }
                    return (
                        [String(b.batchId), job ?? "-", run?.status ?? "-"],
                        run?.elapsed.map(DriveDisplay.duration) ?? "-"
                    )
                }
                return
            }
            try await runBatch(batch, progress: claim.progress)
        }
    }

    private func runBatch(_ batch: BatchInfo, progress: CursorProgress) async throws {
        let facts: JSONObject = [
            "batch_id": .int(batch.batchId), "attempt": .int(batch.attempt), "hosts": .int(batch.hosts.count),
        ]
        display.emit("claimed", facts.merging(["external_ref": batch.externalRef.map(JSONValue.string) ?? .null]))
        var ref: AWXJobRef?
        if let external = batch.externalRef {
            guard let recorded = AWXJobRef(externalRef: external) else {
                throw stop(
                    "batch \(batch.batchId) of \(config.cursor) carries external_ref \(external), which the drive "
                        + "did not write; "
                        + "release it (`batch-source batch release \(config.cursor) \(batch.batchId)`) and run the "
                        + "drive again",
                    exit: DriveExit.usage)
            }
            guard recorded.host == awx.settings.host else {
                throw stop(
                    "batch \(batch.batchId) of \(config.cursor) is being run by \(recorded) on \(recorded.host), not "
                        + "on \(awx.settings.host); "
                        + "point CONTROLLER_HOST there to follow it", exit: DriveExit.usage)
            }
            ref = recorded
            display.emit("resumed", facts.merging(["job": .string(recorded.url)]))
            display.say("batch \(batch.batchId): following \(recorded) started before (\(recorded.url))")
        }
        if ref == nil || ref?.kind == .inventoryUpdate, let source = config.inventorySource {
            try await updateInventory(source, batch: batch, running: ref)
        }
        let job: AWXJobRef
        if let ref, ref.kind != .inventoryUpdate {
            job = ref
        } else {
            job = try await launch(batch, progress: progress)
        }
        let end = try await follow(job, batch: batch, progress: progress)
        switch end.status {
        case "successful", "failed":
            try await complete(batch, job: job, end: end)
        default:
            try await release(batch)
            let why = end.jobExplanation.flatMap { $0.isEmpty ? nil : $0 } ?? "no explanation from AWX"
            throw stop(
                "\(job) for batch \(batch.batchId) ended \(end.status) (\(why)); the batch was released, so running "
                    + "the drive again retries it",
                exit: DriveExit.stopped)
        }
    }

    private func launch(_ batch: BatchInfo, progress: CursorProgress) async throws -> AWXJobRef {
        guard let template else { throw CLIError("no template") }
        var vars = config.extraVars
        vars["batch_id"] = .int(batch.batchId)
        vars["batch_cursor"] = .string(config.cursor)
        vars["batch_attempt"] = .int(batch.attempt)
        vars["batch_consumer"] = .string(config.consumer)
        vars["batch_host_count"] = .int(batch.hosts.count)
        vars["batch_total_hosts"] = .int(progress.totalHosts)
        vars["batch_hosts_done"] = .int(progress.hostsDone)
        vars["batches_total"] = .int(progress.batchesTotal)
        vars["batches_completed"] = .int(progress.batchesCompleted)
        let limit = config.inventorySource == nil ? batch.hosts.joined(separator: ",") : config.limit
        let job: AWXJobRef
        do {
            job = try await awx.launch(config.templateKind, id: template.id, limit: limit, extraVars: vars)
        } catch let error as AWXError {
            if case .rejected = error { try await release(batch) }  // nothing runs for it: give it back
            throw convert(error)
        }
        // Recorded at once, so that a drive killed from here on follows this job instead of
        // launching another one.
        try await heartbeat(batch, ref: job)
        display.emit(
            "launched",
            [
                "batch_id": .int(batch.batchId), "job": .string(job.url), "kind": .string(job.kind.label),
                "id": .int(job.id),
            ])
        display.say("batch \(batch.batchId): launched \(job) (\(batch.hosts.count) hosts) \(job.url)")
        return job
    }

    /// `--inventory-source`: AWX runs inventory-script (with consumer `drive:CURSOR`), which
    /// gets this drive's batch back; the job then runs on exactly that inventory.
    private func updateInventory(_ source: Int, batch: BatchInfo, running: AWXJobRef?) async throws {
        let update: AWXJobRef
        if let running {
            update = running
        } else {
            update = try await awxCall { try await self.awx.updateInventorySource(source) }
            try await heartbeat(batch, ref: update)
            display.emit(
                "inventory_update",
                ["batch_id": .int(batch.batchId), "job": .string(update.url), "id": .int(update.id)])
            display.say("batch \(batch.batchId): updating inventory source \(source): \(update)")
        }
        let end = try await follow(update, batch: batch, progress: nil)
        guard end.status == "successful" else {
            try await release(batch)
            throw stop(
                "\(update) of inventory source \(source) ended \(end.status) (\(end.jobExplanation ?? "")); batch "
                    + "\(batch.batchId) was released",
                exit: DriveExit.stopped)
        }
        // inventory-script claims with INVENTORY_UPDATE_ID as its claim key: the key must
        // have given it this drive's batch, or the job would run on another batch's hosts.
        let held: ClaimResponse? = try? await service.get(
            cursorPath + "/claim", query: [("consumer", config.consumer), ("claim_key", String(update.id))])
        if let other = held?.batch?.batchId, other != batch.batchId {
            try await release(batch)
            throw stop(
                """
                inventory source \(source) got batch \(other), not the drive's batch \(batch.batchId): \
                set BATCH_SOURCE_CONSUMER: \(config.consumer) in the source's source_vars so that inventory-script gets the drive's batch
                """, exit: DriveExit.usage)
        }
    }

    /// Polls a job until it ends: the interval grows by half while nothing changes, up to the
    /// maximum; the lease is extended on the way (every third of it).
    private func follow(_ job: AWXJobRef, batch: BatchInfo, progress: CursorProgress?) async throws -> AWXUnifiedJob {
        var interval = config.pollInterval
        var lastStatus = ""
        var lastBeat = ContinuousClock.now
        var eventCounter = 0
        var nodeStates: [Int: String] = [:]
        let beatEvery = Duration.seconds(max(1, leaseSeconds / 3))
        while true {
            let state = try await awxCall { try await self.awx.status(job) }
            if config.follow {
                if job.kind == .workflowJob {
                    try await showNodes(job, states: &nodeStates)
                } else if job.kind == .job {
                    for event in try await awxCall({ try await self.awx.events(job, after: eventCounter) }) {
                        eventCounter = max(eventCounter, event.counter)
                        if let text = event.stdout, !text.isEmpty {
                            display.emit(
                                "job_event",
                                [
                                    "job": .int(job.id), "counter": .int(event.counter),
                                    "awx_event": .string(event.event ?? ""),
                                    "stdout": .string(text),
                                ])
                            display.say(Self.stripANSI(text))
                        }
                    }
                }
            }
            if state.status != lastStatus {
                display.emit(
                    "job_status",
                    [
                        "batch_id": .int(batch.batchId), "job": .string(job.url), "kind": .string(job.kind.label),
                        "status": .string(state.status), "elapsed": state.elapsed.map(JSONValue.double) ?? .null,
                    ])
                lastStatus = state.status
                interval = config.pollInterval
            } else {
                interval = min(interval * 1.5, config.maxPollInterval)
            }
            var line = "batch \(batch.batchId) · \(batch.hosts.count) hosts · \(job) \(state.status)"
            if let elapsed = state.elapsed { line += " · \(DriveDisplay.duration(elapsed))" }
            if let progress { line += " · rollout \(progress.hostsDone)/\(progress.totalHosts) hosts done" }
            display.live(line, changeKey: state.status)
            if state.isFinished {
                display.closeLive()
                return state
            }
            if let why = await stopReason() {
                try await cancel(job, batch: batch, because: why)
            }
            if ContinuousClock.now - lastBeat >= beatEvery {
                try await heartbeat(batch, ref: nil)
                lastBeat = ContinuousClock.now
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Stopping means stopping: cancels the AWX job, gives the batch back with the reason (in
    /// the cursor's audit trail), and ends the drive with exit 1.
    private func cancel(_ job: AWXJobRef, batch: BatchInfo, because why: String) async throws -> Never {
        display.closeLive()
        let canceled = try await awxCall { try await self.awx.cancel(job) }
        let what = canceled ? "canceled \(job)" : "\(job) had ended already"
        display.emit(
            "canceled",
            [
                "batch_id": .int(batch.batchId), "job": .string(job.url), "reason": .string(why),
                "accepted": .bool(canceled),
            ])
        try await release(batch, reason: "drive: \(what) (\(job.url)): \(why)")
        throw stop(
            "\(why); \(what) (\(job.url)) for batch \(batch.batchId) and released the batch",
            exit: DriveExit.stopped)
    }

    private func showNodes(_ job: AWXJobRef, states: inout [Int: String]) async throws {
        for node in try await awxCall({ try await self.awx.workflowNodes(job) }) {
            guard let sub = node.summaryFields?.job, let status = sub.status, states[node.id] != status else {
                continue
            }
            states[node.id] = status
            display.emit(
                "workflow_node",
                [
                    "workflow_job": .int(job.id), "node": .int(node.id), "job": .int(sub.id),
                    "type": .string(sub.type ?? "job"), "name": .string(sub.name ?? ""), "status": .string(status),
                ])
            display.say("  node \(node.id): \(sub.type ?? "job") \(sub.id) \"\(sub.name ?? "")\" \(status)")
        }
    }

    /// Reads the job's per-host results and completes the batch with them.
    private func complete(_ batch: BatchInfo, job: AWXJobRef, end: AWXUnifiedJob) async throws {
        let all = try await awxCall { try await self.awx.hostSummaries(job) }
        let members = Set(batch.hosts)
        let summaries = all.filter { members.contains($0.key) }
        guard !summaries.isEmpty else {
            try await release(batch)
            throw stop(
                """
                \(job) ended \(end.status) without running any host of batch \(batch.batchId) \
                (its host summaries name none of them); the batch was released. Does the template's inventory hold \
                these hosts? Otherwise use --inventory-source with an inventory-script source.
                """, exit: DriveExit.stopped)
        }
        var request = CompleteRequest(hostSummaries: summaries, consumer: config.consumer)
        let missing = batch.hosts.filter { summaries[$0] == nil }
        if !missing.isEmpty {
            for host in missing { request.results[host] = config.unreported }
            DriveLog.warning(
                "\(missing.count) hosts of batch \(batch.batchId) are not in \(job)'s results (e.g. "
                    + "\(missing.prefix(3).joined(separator: ", "))); "
                    + "counted as \(config.unreported.rawValue) (--unreported-hosts)")
        }
        let done: BatchInfo = try await serviceCall("completing batch \(batch.batchId)") {
            try await self.service.post(self.cursorPath + "/batches/\(batch.batchId)/complete", json: request)
        }
        finished[batch.batchId] = (job, end.status, end.elapsed)
        let counts = DriveDisplay.counts(done.results ?? request.statuses)
        display.emit(
            "completed",
            [
                "batch_id": .int(batch.batchId), "job": .string(job.url), "status": .string(end.status),
                "elapsed": end.elapsed.map(JSONValue.double) ?? .null, "results": DriveDisplay.countsJSON(counts),
                "unreported_hosts": .int(missing.count),
            ])
        display.say(
            "batch \(batch.batchId): \(job) "
                + "\(end.status)\(end.elapsed.map { " in " + DriveDisplay.duration($0) } ?? "") — "
                + "\(DriveDisplay.countsText(counts))"
        )
    }

    private func heartbeat(_ batch: BatchInfo, ref: AWXJobRef?) async throws {
        let request = LeaseRequest(consumer: config.consumer, externalRef: ref?.url)
        do {
            let _: BatchInfo = try await serviceCall("extending the lease of batch \(batch.batchId)") {
                try await self.service.post(self.cursorPath + "/batches/\(batch.batchId)/heartbeat", json: request)
            }
        } catch ServiceClientError.api(409, _, let message, _) {
            let followed = ref.map { "; \($0) (\($0.url)) was started for it and is not followed any more" } ?? ""
            throw stop("lost batch \(batch.batchId): \(message)\(followed)", exit: DriveExit.stopped)
        }
    }

    private func release(_ batch: BatchInfo, reason: String? = nil) async throws {
        let _: BatchInfo = try await serviceCall("releasing batch \(batch.batchId)") {
            try await self.service.post(
                self.cursorPath + "/batches/\(batch.batchId)/release",
                json: LeaseRequest(consumer: self.config.consumer, reason: reason.map { String($0.prefix(500)) }))
        }
        display.emit("released", ["batch_id": .int(batch.batchId)])
    }

    // MARK: errors and retries

    /// AWX calls (already retried inside AWXClient): its errors become exits.
    private func awxCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw convert(error)
        }
    }

    private func convert(_ error: any Error) -> any Error {
        switch error {
        case let error as AWXError:
            switch error {
            case .rejected: return stop(error.description, exit: DriveExit.usage)
            case .unavailable:
                return stop(
                    error.description + "; the batch stays held with its job recorded: run the drive again to go on",
                    exit: DriveExit.unreachable)
            case .malformed: return stop(error.description, exit: DriveExit.stopped)
            }
        case let error as CLIError:
            return stop(error.description, exit: error.exitCode)
        default:
            return error
        }
    }

    /// Service calls, retried as ``ServiceRetry`` does; giving up stops the drive with exit 4.
    func serviceCall<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        let retry = ServiceRetry(
            retries: config.serviceRetries, delay: config.retryDelay, log: { DriveLog.write($0) },
            giveUp: { self.stop($0, exit: DriveExit.unreachable) })
        return try await retry.run(doing, body)
    }

    static func stripANSI(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }
}
