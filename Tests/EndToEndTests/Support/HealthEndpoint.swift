import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A health endpoint the test controls, on 127.0.0.1: `GET /health` answers the status and
/// body last set, for the rollout gates to check.
final class HealthEndpoint: Sendable {
    private let answer = Mutex<(status: Int, body: String)>((200, #"{"status": "ok"}"#))
    private let boundPort = Mutex<Int?>(nil)
    private let server = Mutex<Task<Void, any Error>?>(nil)

    var url: String { "http://127.0.0.1:\(boundPort.withLock { $0 ?? 0 })/health" }

    func set(status: Int, body: String) { answer.withLock { $0 = (status, body) } }

    func start() async throws {
        let responder = CallbackResponder<BasicRequestContext> { [self] _, _ in
            let (status, body) = self.answer.withLock { $0 }
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let ready = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "health-endpoint")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            }, logger: logger)
        server.withLock { $0 = Task { try await app.run() } }
        for await port in ready.stream {
            boundPort.withLock { $0 = port }
            break
        }
    }

    func stop() {
        server.withLock {
            $0?.cancel(); $0 = nil
        }
    }

    deinit { server.withLock { $0?.cancel() } }
}
