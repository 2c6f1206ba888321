import AsyncHTTPClient
import BatchSource
import Foundation
import InventoryModel
import NIOCore
import NIOHTTP1

/// What went wrong talking to the service, in words an operator can act on.
enum ServiceClientError: Error, CustomStringConvertible {
    /// The service answered with its error model.
    case api(status: Int, code: String, message: String, retryAfter: Int?)
    /// No answer: connection refused, timeout, DNS.
    case transport(url: String, reason: String)
    /// An answer that is not what the API promises.
    case malformed(url: String, reason: String)

    var description: String {
        switch self {
        case .api(let status, let code, let message, _):
            return "\(message) (HTTP \(status) \(code))"
        case .transport(let url, let reason):
            return
                "cannot reach the service at \(url): \(reason); is `batch-source serve` running there (see --url / "
                + "BATCH_SOURCE_URL)?"
        case .malformed(let url, let reason):
            return "unexpected answer from \(url): \(reason)"
        }
    }

    var status: Int? {
        if case .api(let status, _, _, _) = self { return status }
        return nil
    }
}

/// A small client of the batch-source API for the operator commands (and `drive`).
struct ServiceClient: Sendable {
    let baseURL: String
    let token: String?
    var timeout: TimeAmount = .seconds(60)

    init(baseURL: String, token: String?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }

    func get<T: Decodable>(_ path: String, query: [(String, String?)] = [], as type: T.Type = T.self) async throws -> T
    {
        try decode(T.self, try await send(.GET, path, query: query))
    }

    func post<T: Decodable>(
        _ path: String, json body: some Encodable, query: [(String, String?)] = [], as type: T.Type = T.self
    ) async throws -> T {
        try decode(
            T.self,
            try await send(
                .POST, path, query: query, body: try Wire.encoder.encode(body), contentType: "application/json"))
    }

    func patch<T: Decodable>(_ path: String, mergePatch: JSONObject, as type: T.Type = T.self) async throws -> T {
        let text = JSONWriter(indent: nil, sortKeys: false).string(.object(mergePatch))
        return try decode(
            T.self, try await send(.PATCH, path, body: Data(text.utf8), contentType: "application/merge-patch+json"))
    }

    func put<T: Decodable>(
        _ path: String, body: Data, contentType: String?, query: [(String, String?)] = [], as type: T.Type = T.self
    ) async throws -> T {
        try decode(T.self, try await send(.PUT, path, query: query, body: body, contentType: contentType))
    }

    func delete(_ path: String) async throws {
        _ = try await send(.DELETE, path)
    }

    /// Sends one request; 2xx answers return the body, others throw the service's error.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: Data? = nil,
        contentType: String? = nil
    ) async throws -> (url: String, data: Data) {
        let url = baseURL + path + Self.queryString(query)
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "batch-source-cli")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        let response: HTTPClientResponse
        var buffer: ByteBuffer
        do {
            response = try await Self.http.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 1 << 30)
        } catch {
            throw ServiceClientError.transport(url: baseURL, reason: Self.reason(error))
        }
        let data = buffer.readData(length: buffer.readableBytes) ?? Data()
        guard (200..<300).contains(response.status.code) else {
            if let body = try? Wire.decoder.decode(APIErrorBody.self, from: data) {
                let retry =
                    response.headers.first(name: "Retry-After").flatMap(Int.init) ?? body.error.retryAfterSeconds
                throw ServiceClientError.api(
                    status: Int(response.status.code), code: body.error.code, message: body.error.message,
                    retryAfter: retry)
            }
            let snippet = String(decoding: data.prefix(200), as: UTF8.self)
            throw ServiceClientError.malformed(
                url: url, reason: "HTTP \(response.status.code) without the API's error body: \(snippet)")
        }
        return (url, data)
    }

    func decode<T: Decodable>(_ type: T.Type, _ answer: (url: String, data: Data)) throws -> T {
        do {
            return try Wire.decoder.decode(T.self, from: answer.data)
        } catch {
            throw ServiceClientError.malformed(url: answer.url, reason: DecodingMessage.describe(error))
        }
    }

    /// One client for the process. Connecting gives up after 5 s (AsyncHTTPClient's shared
    /// client keeps retrying a refused connection until the request's whole deadline).
    static let http: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()

    static func queryString(_ query: [(String, String?)]) -> String {
        let parts = query.compactMap { key, value in value.map { "\(key)=\(Self.escape($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Path segments are names checked by the service; escape anyway so nothing odd travels.
    static func segment(_ s: String) -> String { escape(s) }

    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") { return "timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }
}
