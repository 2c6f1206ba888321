import ArgumentParser
import Hummingbird

/// A bare Hummingbird app: one route answering a constant JSON body, no middleware, no
/// database. The yardstick for the service's read endpoints.
struct BareRoute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bare-route")
    @Option var port = 8099
    @Option var body = #"{"name":"demo","state":"active"}"#

    func run() async throws {
        let router = Router()
        let text = body
        router.get("/bare") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
