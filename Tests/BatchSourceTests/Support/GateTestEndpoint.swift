import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The HTTP endpoint the gate tests control, on a loopback port of its own:
/// - `/metrics`: gauges in Prometheus' text format (`test_errors 0`), scraped by the tests'
///   Prometheus; ``setGauge(_:_:)`` changes them.
/// - `/health/KEY`: the status and body ``reply(_:status:body:)`` set for KEY (404 before),
///   so tests running side by side use keys of their own.
/// - `/redirect`: 302 to `/health/ok`.
/// - `/big`: a 2 MiB JSON body, beyond what a gate reads.
final class GateTestEndpoint: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: String
        var contentType: String
    }

    private let gauges = Mutex<[String: Double]>([:])
    private let replies = Mutex<[String: Reply]>([:])
    private let hits = Mutex<[String: Int]>([:])
    private let server = Mutex<Task<Void, any Error>?>(nil)
    let port: Int

    private init(port: Int) { self.port = port }

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }
    /// `127.0.0.1:PORT`, as a scrape target.
    var hostAndPort: String { "127.0.0.1:\(port)" }

    func setGauge(_ series: String, _ value: Double) { gauges.withLock { $0[series] = value } }

    func reply(_ key: String, status: Int, body: String, contentType: String = "application/json") {
        replies.withLock { $0[key] = Reply(status: status, body: body, contentType: contentType) }
    }

    /// How many requests `path` has had.
    func hitCount(_ path: String) -> Int { hits.withLock { $0[path] ?? 0 } }

    static func start() async throws -> GateTestEndpoint {
        let ready = AsyncStream<Int>.makeStream()
        let holder = Mutex<GateTestEndpoint?>(nil)
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = holder.withLock { $0 }?.metricsText() ?? ""
            return Self.response(200, text, contentType: "text/plain; version=0.0.4")
        }
        router.get("/health/{key}") { request, context -> Response in
            let key = context.parameters.get("key") ?? ""
            guard let endpoint = holder.withLock({ $0 }) else { return Self.response(503, "starting") }
            endpoint.hits.withLock { $0[request.uri.path, default: 0] += 1 }
            guard let reply = endpoint.replies.withLock({ $0[key] }) else { return Self.response(404, "no reply set") }
            return Self.response(reply.status, reply.body, contentType: reply.contentType)
        }
        router.get("/redirect") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/health/ok"], body: .init(byteBuffer: ByteBuffer()))
        }
        router.get("/big") { _, _ -> Response in
            let filler = String(repeating: "x", count: 2 << 20)
            return Self.response(200, "{\"ok\": true, \"filler\": \"\(filler)\"}")
        }
        var logger = Logger(label: "gate-test-endpoint")
        logger.logLevel = .critical  // a cancelled server logs its child channels at error level
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                ready.continuation.yield(channel.localAddress?.port ?? 0)
                ready.continuation.finish()
            }, logger: logger)
        let task = Task { try await app.run() }
        var port = 0
        for await p in ready.stream {
            port = p
            break
        }
        let endpoint = GateTestEndpoint(port: port)
        endpoint.server.withLock { $0 = task }
        holder.withLock { $0 = endpoint }
        return endpoint
    }

    func stop() {
        server.withLock {
            $0?.cancel()
            $0 = nil
        }
    }

    /// Each gauge family's `# TYPE` line, then its samples (the text format wants them grouped).
    private func metricsText() -> String {
        let byFamily = Dictionary(grouping: gauges.withLock { $0 }) { series, _ in
            String(series.prefix { $0 != "{" })
        }
        var lines: [String] = []
        for family in byFamily.keys.sorted() {
            lines.append("# TYPE \(family) gauge")
            lines += byFamily[family, default: []].sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func response(_ status: Int, _ body: String, contentType: String = "text/plain") -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
