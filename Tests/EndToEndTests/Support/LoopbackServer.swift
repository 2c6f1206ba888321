import Hummingbird
import Logging
import Synchronization

/// A Hummingbird server on a free port of 127.0.0.1 for a test's own peers (the AWX double, a
/// health endpoint), running until it is stopped or goes away.
final class LoopbackServer: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Mutex<Int?>(nil)

    init() {}

    /// The port it listens on; 0 before ``start(label:responder:)``.
    var port: Int { boundPort.withLock { $0 ?? 0 } }

    /// Starts serving `responder` and returns once the port is bound.
    func start(label: String, responder: CallbackResponder<BasicRequestContext>) async {
        let ready = AsyncStream<Int>.makeStream()
        var logger = Logger(label: label)
        logger.logLevel = .critical  // a cancelled server logs its child channels at error level
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            }, logger: logger)
        task.withLock { $0 = Task { try await app.run() } }
        for await port in ready.stream {
            boundPort.withLock { $0 = port }
            break
        }
    }

    func stop() {
        task.withLock {
            $0?.cancel()
            $0 = nil
        }
    }

    deinit { task.withLock { $0?.cancel() } }
}
