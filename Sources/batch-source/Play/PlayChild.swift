import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What `batch-source play` adds to the command's environment for one batch: what makes
/// inventory-script return exactly this batch and the callback report it.
enum PlayEnvironment {
    static let callback = "batchsource.rollout.report"

    static func make(
        base: [String: String], serviceURL: String, token: String?, cursor: String, consumer: String, claimKey: String,
        enableCallback: Bool
    ) -> [String: String] {
        var env = base
        env["BATCH_SOURCE_URL"] = serviceURL
        if let token { env["BATCH_SOURCE_TOKEN"] = token }
        env["BATCH_SOURCE_CURSOR"] = cursor
        // The consumer and the attempt's claim key: inventory-script's claim gets this batch
        // back (claim rule 1) and its batch facts name the attempt the callback completes.
        env["BATCH_SOURCE_CONSUMER"] = consumer
        env["BATCH_SOURCE_CLAIM_KEY"] = claimKey
        // AWX's names would make inventory-script another consumer.
        env["INVENTORY_SOURCE_ID"] = nil
        env["INVENTORY_UPDATE_ID"] = nil
        // Ansible ignores a failing inventory script by default and plays on an empty inventory.
        if env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] == nil { env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True" }
        if enableCallback {
            let listed = (env["ANSIBLE_CALLBACKS_ENABLED"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            if !listed.contains(callback) {
                env["ANSIBLE_CALLBACKS_ENABLED"] = (listed + [callback]).joined(separator: ",")
            }
        }
        return env
    }
}

/// The signal `play` passed on to its command, set from a signal handler's queue.
final class ForwardedSignal: Sendable {
    private let value = Mutex<Int32?>(nil)
    var signal: Int32? { value.withLock { $0 } }
    func set(_ sig: Int32) { value.withLock { $0 = sig } }
}

/// The command of one batch, run to its end with the lease kept alive meanwhile.
final class PlayChild {
    let process = Process()
    private var signals: [any DispatchSourceSignal] = []
    private let forwardedSignal = ForwardedSignal()

    init(command: [String], environment: [String: String], stdoutToStderr: Bool) throws {
        guard let program = command.first else {
            throw CLIError("no command to run after --", exitCode: DriveExit.usage)
        }
        process.executableURL = URL(fileURLWithPath: try Self.locate(program, path: environment["PATH"] ?? ""))
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        if stdoutToStderr { process.standardOutput = FileHandle.standardError }
    }

    var pid: Int32 { process.processIdentifier }
    /// The signal (SIGINT, SIGTERM) that play passed on to the command, if any.
    var forwarded: Int32? { forwardedSignal.signal }
    /// Why play stopped the command itself (the cursor was aborted), if it did.
    private(set) var stoppedBecause: String?

    /// Ends the command (SIGTERM, as Ctrl-C would), because the rollout stopped.
    func terminate(because why: String) {
        guard stoppedBecause == nil, process.isRunning else { return }
        stoppedBecause = why
        kill(process.processIdentifier, SIGTERM)
    }

    /// Starts the command; then SIGINT and SIGTERM to play are passed on to it, so that Ctrl-C
    /// stops the playbook too and play still says what became of the batch. (Ignored only
    /// after the start: an ignored signal would stay ignored in the command.)
    func start() throws {
        do {
            try process.run()
        } catch {
            throw CLIError(
                "cannot run \(process.executableURL?.path ?? "the command"): \(error.localizedDescription)",
                exitCode: DriveExit.usage)
        }
        let pid = process.processIdentifier
        let forwarded = forwardedSignal
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                forwarded.set(sig)
                kill(pid, sig)
            }
            source.resume()
            signal(sig, SIG_IGN)
            signals.append(source)
        }
    }

    /// Waits for the command to end, calling `tick` about every `every`; returns its status
    /// (128 + the signal for a command ended by one, as shells say).
    func wait(every: Duration, tick: () async throws -> Void) async throws -> Int32 {
        var last = ContinuousClock.now
        while process.isRunning {
            try await Task.sleep(for: .milliseconds(200))
            if ContinuousClock.now - last >= every {
                try await tick()
                last = ContinuousClock.now
            }
        }
        restoreSignals()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    private func restoreSignals() {
        for source in signals { source.cancel() }
        signals = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// The program as a shell finds it: a path as given, else the first match on PATH.
    static func locate(_ program: String, path: String) throws -> String {
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else {
                throw CLIError("\(program) is not an executable file", exitCode: DriveExit.usage)
            }
            return program
        }
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CLIError(
            "\(program) is not on PATH (\(path)); give its path, e.g. .venv/bin/\(program)", exitCode: DriveExit.usage)
    }
}
