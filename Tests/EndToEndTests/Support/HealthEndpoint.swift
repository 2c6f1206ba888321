import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A health endpoint the test controls, on 127.0.0.1: `GET /health` answers the status and
/// body last set, for the rollout gates to check.
final class HealthEndpoint: Sendable {
    private let answer = Mutex<(status: Int, body: String)>((200, #"{"status": "ok"}"#))
    private let server = LoopbackServer()

    var url: String { "http://127.0.0.1:\(server.port)/health" }

    func set(status: Int, body: String) { answer.withLock { $0 = (status, body) } }

    func start() async throws {
        await server.start(
            label: "health-endpoint",
            responder: CallbackResponder<BasicRequestContext> { [self] _, _ in
                let (status, body) = self.answer.withLock { $0 }
                return Response(
                    status: .init(code: status), headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            })
    }

    func stop() { server.stop() }
}
