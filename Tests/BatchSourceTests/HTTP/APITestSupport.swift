import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InventoryModel
import NIOCore
import Testing

@testable import BatchSource

/// The real router over a real store (a SQLite file in a temp directory, or a fresh PostgreSQL
/// database), with one token per scope.
struct APIFixture {
    let engine: BatchEngine
    let tokens: TokenService
    let directory: String
    let admin: String
    let claim: String
    let read: String
    let bodyLimit: Int

    init(_ kind: StoreKind = .sqlite, hosts: Int = 10, bodyLimit: Int = 1 << 20, defaultCursor: String? = nil)
        async throws
    {
        directory = NSTemporaryDirectory() + "batch-source-api-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try await kind.makeStore(directory: directory)
        engine = BatchEngine(store: store)
        tokens = TokenService(store: store)
        admin = try await tokens.create(name: "admin", scope: .admin).1.text
        claim = try await tokens.create(name: "awx", scope: .claim).1.text
        read = try await tokens.create(name: "viewer", scope: .read).1.text
        self.bodyLimit = bodyLimit
        self.defaultCursor = defaultCursor
        if hosts > 0 {
            var lines = ["[web]"]
            for i in 1...hosts { lines.append(String(format: "web%02d role=web idx=%d", i, i)) }
            lines += ["[dc1:children]", "web", "[dc1:vars]", "dc=one"]
            _ = try await engine.pools.importPool(name: "fleet", text: lines.joined(separator: "\n"), format: .ini)
        }
    }

    let defaultCursor: String?

    var router: Router<APIRequestContext> {
        APIRouter.make(
            APIDependencies(engine: engine, tokens: tokens, defaultCursor: defaultCursor, bodyLimit: bodyLimit))
    }

    /// Runs `body` against the router in process (no sockets).
    func run<T: Sendable>(_ body: @Sendable (APIClient) async throws -> T) async throws -> T {
        let app = Application(router: router)
        return try await app.test(.router) { client in try await body(APIClient(client: client, fixture: self)) }
    }

    func cleanup() {
        let store = engine.store
        Task { try? await store.close() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// An answer: status, headers and the body parsed as JSON (nil when it is not JSON).
struct APIAnswer: Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String
    var json: JSONValue? { try? JSONParser.parse(text) }

    subscript(_ key: String) -> JSONValue? { json?.objectValue?[key] }
    var errorCode: String? { self["error"]?.objectValue?["code"]?.stringValue }
    var errorMessage: String? { self["error"]?.objectValue?["message"]?.stringValue }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try Wire.decoder.decode(T.self, from: Data(text.utf8)) }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol
    let fixture: APIFixture

    /// Sends a request with `token` (default: admin); `json` is encoded, `text` sent as is.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?? = .none, json: (any Encodable & Sendable)? = nil,
        text: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> APIAnswer {
        var headers = extra
        let bearer: String? =
            switch token {
            case .none: fixture.admin;
            case .some(let t): t
            }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try Wire.encoder.encode(json))
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let text {
            body = ByteBuffer(string: text)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            APIAnswer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
    }

    func get(_ uri: String, token: String?? = .none) async throws -> APIAnswer {
        try await call(.get, uri, token: token)
    }

    func claim(_ cursor: String = "c", consumer: String, key: String? = nil, token: String?? = .none) async throws
        -> APIAnswer
    {
        try await call(
            .post, "/api/v1/cursors/\(cursor)/claim", token: token,
            json: ClaimRequest(consumer: consumer, claimKey: key))
    }

    func createCursor(
        _ name: String = "c", batchSize: String = "3", maxInFlight: Int = 1, ack: AckMode = .explicit,
        extra: String = ""
    ) async throws -> APIAnswer {
        let body =
            #"{"name": "\#(name)", "pool": "fleet", "batch_size": \#(batchSize), "max_in_flight": \#(maxInFlight), "ack": "\#(ack.rawValue)"\#(extra)}"#
        return try await call(.post, "/api/v1/cursors", text: body, headers: [.contentType: "application/json"])
    }
}
