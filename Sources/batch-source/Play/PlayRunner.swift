import Foundation
import InventoryModel

/// What one `batch-source play` run is asked to do.
struct PlayConfig: Sendable {
    var cursor: String
    var consumer: String
    var command: [String]
    var enableCallback: Bool
    var serviceURL: String
    var token: String?
    var retries: Int
    var retryDelay: Duration

    var commandText: String { command.joined(separator: " ") }
}

/// Runs a rollout with plain Ansible: claim a batch, run the command on it (inventory-script
/// gets the same batch, the batchsource.rollout.report callback completes it), until the
/// cursor is done or stops.
///
/// Like `drive` it keeps no state of its own: the command's process is recorded on the
/// batch's attempt (`external_ref`), and the claim rules give a restarted play its batch back.
final class PlayRunner: CursorRollout {
    let config: PlayConfig
    let service: ServiceClient
    let display: DriveDisplay
    var leaseSeconds = CursorSettings.defaultLeaseSeconds
    /// Batches this run played (or followed) to their end, for the summary.
    var played: [Int: (status: Int32?, elapsed: Double)] = [:]
    lazy var retry = ServiceRetry(retries: config.retries, delay: config.retryDelay) { PlayLog.write($0) }

    init(config: PlayConfig, service: ServiceClient, display: DriveDisplay) {
        self.config = config
        self.service = service
        self.display = display
    }

    var cursor: String { config.cursor }
    let rerunName = "play"

    /// Runs until the rollout is done (returns) or stops (throws a CLIError with the exit status).
    func run() async throws {
        let info = try await readCursor()
        leaseSeconds = info.settings.leaseSeconds
        display.emit(
            "start",
            [
                "cursor": .string(config.cursor), "consumer": .string(config.consumer),
                "command": .array(config.command.map(JSONValue.string)),
                "total_hosts": .int(info.progress.totalHosts), "hosts_done": .int(info.progress.hostsDone),
            ])
        display.say(
            "play \(config.cursor): `\(config.commandText)` once per batch as \(config.consumer); "
                + "\(info.progress.hostsDone)/\(info.progress.totalHosts) hosts done")
        while true {
            let request = ClaimRequest(consumer: config.consumer, claimKey: "play-" + UUID().uuidString.lowercased())
            guard let claim = try await claimNext(request) else { continue }
            guard let batch = claim.batch else {
                try await finish(claim.progress, columns: ["batch", "attempt", "exit"]) { b in
                    let run = self.played[b.batchId]
                    let exit = run.map { $0.status.map { String($0) } ?? "followed" } ?? "-"
                    return (
                        [String(b.batchId), String(b.attempt), exit],
                        run.map { DriveDisplay.duration($0.elapsed) } ?? "-"
                    )
                }
                return
            }
            try await play(batch, progress: claim.progress)
        }
    }

    private func play(_ batch: BatchInfo, progress: CursorProgress) async throws {
        display.emit(
            "claimed",
            [
                "batch_id": .int(batch.batchId), "attempt": .int(batch.attempt), "hosts": .int(batch.hosts.count),
                "external_ref": batch.externalRef.map(JSONValue.string) ?? .null,
            ])
        guard let claimKey = batch.claimKey else {
            throw stop(
                "batch \(batch.batchId) of \(config.cursor) is held by \(config.consumer) without a claim key (taken "
                    + "by another tool under "
                    + "this consumer name?); release it (`batch-source batch release \(config.cursor) "
                    + "\(batch.batchId)`) or use another --consumer",
                exit: DriveExit.usage)
        }
        let started = ContinuousClock.now
        if let external = batch.externalRef {
            guard let earlier = PlayRunRef(externalRef: external) else {
                throw stop(
                    "batch \(batch.batchId) of \(config.cursor) carries external_ref \(external), which play did not "
                        + "write; "
                        + "release it (`batch-source batch release \(config.cursor) \(batch.batchId)`) and run play "
                        + "again",
                    exit: DriveExit.usage)
            }
            if earlier.isRunning {
                display.emit("resumed", ["batch_id": .int(batch.batchId), "run": .string(earlier.externalRef)])
                display.say("batch \(batch.batchId): following the run started before (\(earlier)) until it ends")
                var lastBeat = started
                while earlier.isRunning {
                    try await Task.sleep(for: .seconds(1))
                    if ContinuousClock.now - lastBeat >= beatEvery {
                        try await heartbeat(batch, claimKey: claimKey, ref: nil)
                        lastBeat = ContinuousClock.now
                    }
                }
                return try await settle(batch, claimKey: claimKey, status: nil, interrupted: false, started: started)
            }
            guard earlier.isThisHost else {
                throw stop(
                    "batch \(batch.batchId) of \(config.cursor) is being played by \(earlier) as \(config.consumer); "
                        + "if that run is gone, "
                        + "release the batch (`batch-source batch release \(config.cursor) \(batch.batchId)`), else "
                        + "let it finish",
                    exit: DriveExit.usage)
            }
            display.say(
                "batch \(batch.batchId): the run started before (\(earlier)) is gone without reporting; playing the "
                    + "batch again"
            )
        }
        let env = PlayEnvironment.make(
            base: ProcessInfo.processInfo.environment, serviceURL: config.serviceURL, token: config.token,
            cursor: config.cursor, consumer: config.consumer, claimKey: claimKey, enableCallback: config.enableCallback)
        let child = try PlayChild(command: config.command, environment: env, stdoutToStderr: display.json)
        try child.start()
        // Recorded at once, so that a play killed from here on follows this run instead of
        // starting another on the same hosts.
        let ref = PlayRunRef.local(pid: child.pid)
        try await heartbeat(batch, claimKey: claimKey, ref: ref)
        display.emit(
            "started", ["batch_id": .int(batch.batchId), "attempt": .int(batch.attempt), "pid": .int(Int(child.pid))])
        display.say(
            "batch \(batch.batchId) (attempt \(batch.attempt), \(batch.hosts.count) hosts; rollout "
                + "\(progress.hostsDone)/\(progress.totalHosts) "
                + "hosts done): running `\(config.commandText)`")
        // The cursor is looked at every few seconds (an abort stops the command); the lease is
        // extended every third of it.
        var lastBeat = ContinuousClock.now
        let status = try await child.wait(every: .seconds(min(5, max(1, leaseSeconds / 3)))) {
            if let why = await self.stopReason() {
                child.terminate(because: why)
            } else if ContinuousClock.now - lastBeat >= self.beatEvery {
                try await self.heartbeat(batch, claimKey: claimKey, ref: nil)
                lastBeat = ContinuousClock.now
            }
        }
        if let why = child.stoppedBecause {
            let _: BatchInfo = try await serviceCall("releasing batch \(batch.batchId)") {
                try await self.service.post(
                    self.cursorPath + "/batches/\(batch.batchId)/release",
                    json: LeaseRequest(
                        consumer: self.config.consumer, claimKey: claimKey,
                        reason: String("play stopped `\(self.config.commandText)`: \(why)".prefix(500))))
            }
            display.emit("canceled", ["batch_id": .int(batch.batchId), "reason": .string(why)])
            throw stop(
                "\(why); stopped `\(config.commandText)` (exit \(status)) on batch \(batch.batchId) and released the batch",
                exit: DriveExit.stopped)
        }
        try await settle(
            batch, claimKey: claimKey, status: status, interrupted: child.forwarded != nil, started: started)
    }

    private var beatEvery: Duration { .seconds(max(1, leaseSeconds / 3)) }

    /// After the command: the batch is completed (its callback reported it), or the command
    /// failed without reporting, and the batch goes back.
    private func settle(
        _ batch: BatchInfo, claimKey: String, status: Int32?, interrupted: Bool, started: ContinuousClock.Instant
    ) async throws {
        let now: BatchInfo = try await serviceCall("reading batch \(batch.batchId)") {
            try await self.service.get(self.cursorPath + "/batches/\(batch.batchId)")
        }
        let elapsed = Double((ContinuousClock.now - started).components.seconds)
        let exited = status.map { "exited \($0)" } ?? "ended"
        if now.state == .completed {
            played[batch.batchId] = (status, elapsed)
            let counts = DriveDisplay.counts(now.results ?? [:])
            display.emit(
                "completed",
                [
                    "batch_id": .int(batch.batchId), "exit_status": status.map { .int(Int($0)) } ?? .null,
                    "elapsed": .double(elapsed), "results": DriveDisplay.countsJSON(counts),
                ])
            display.say(
                "batch \(batch.batchId): `\(config.command[0])` \(exited) in \(DriveDisplay.duration(elapsed)) — "
                    + "\(DriveDisplay.countsText(counts))"
            )
            return
        }
        if interrupted {
            throw stop(
                "interrupted: `\(config.command[0])` \(exited) before reporting batch \(batch.batchId), which stays "
                    + "held by \(config.consumer); "
                    + "run play again to play it again", exit: DriveExit.stopped)
        }
        let why =
            "`\(config.commandText)` \(exited) without reporting batch \(batch.batchId) (is the batchsource.rollout "
            + "collection installed "
            + "(ansible-galaxy collection install dist/batchsource-rollout-*.tar.gz) and the inventory "
            + "inventory-script (-i)? see its output above)"
        do {
            let _: BatchInfo = try await serviceCall("releasing batch \(batch.batchId)") {
                try await self.service.post(
                    self.cursorPath + "/batches/\(batch.batchId)/release",
                    json: LeaseRequest(consumer: self.config.consumer, claimKey: claimKey))
            }
        } catch ServiceClientError.api(409, _, let message, _) {
            throw stop("\(why); the batch could not be released: \(message)", exit: DriveExit.stopped)
        }
        display.emit("released", ["batch_id": .int(batch.batchId)])
        throw stop("\(why); the batch was released, so the next run plays it again", exit: DriveExit.stopped)
    }

    private func heartbeat(_ batch: BatchInfo, claimKey: String, ref: PlayRunRef?) async throws {
        let request = LeaseRequest(consumer: config.consumer, claimKey: claimKey, externalRef: ref?.externalRef)
        do {
            let _: BatchInfo = try await serviceCall("extending the lease of batch \(batch.batchId)") {
                try await self.service.post(self.cursorPath + "/batches/\(batch.batchId)/heartbeat", json: request)
            }
        } catch ServiceClientError.api(409, _, let message, _) {
            throw stop(
                "lost batch \(batch.batchId): \(message); a run still going on it will have its report refused",
                exit: DriveExit.stopped)
        }
    }

    // MARK: errors and retries

    func serviceCall<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await retry.run(doing, body)
        } catch let error as CLIError {
            throw stop(error.description, exit: error.exitCode)
        }
    }
}

/// Messages on stderr that are not play's output (retries, warnings).
enum PlayLog {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data("batch-source play: \(text)\n".utf8))
    }
}
