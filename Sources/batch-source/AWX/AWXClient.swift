import AsyncHTTPClient
import BatchSource
import Foundation
import InventoryModel
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client of AWX's REST API (`/api/v2/`) that retries what is safe to retry.
///
/// GETs are retried on timeouts, refused connections, 429 and 5xx, with a doubling pause.
/// POSTs start jobs, so they are retried only when AWX cannot have acted on them: the
/// connection was never made, or AWX said 503 (unavailable).
final class AWXClient: Sendable {
    let settings: AWXSettings
    private let http: HTTPClient
    private let decoder: JSONDecoder

    init(settings: AWXSettings) {
        self.settings = settings
        var tls = TLSConfiguration.makeClientConfiguration()
        if !settings.verifySSL { tls.certificateVerification = .none }
        if let ca = settings.caFile { tls.trustRoots = .file(ca) }
        http = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        self.decoder = decoder
    }

    func shutdown() async { try? await http.shutdown() }

    func get<T: Decodable>(_ path: String, query: [(String, String?)] = [], as type: T.Type = T.self) async throws -> T
    {
        let data = try await send(.GET, path + ServiceClient.queryString(query), body: nil)
        return try decode(T.self, data, path: path)
    }

    func post<T: Decodable>(_ path: String, body: JSONObject, as type: T.Type = T.self) async throws -> T {
        let text = JSONWriter(indent: nil, sortKeys: false).string(.object(body))
        let data = try await send(.POST, path, body: Data(text.utf8))
        return try decode(T.self, data, path: path)
    }

    /// Every item of a paginated list (`count/next/previous/results`), following `next`.
    func all<T: Decodable & Sendable>(_ path: String, query: [(String, String?)] = [], as type: T.Type = T.self)
        async throws -> [T]
    {
        var items: [T] = []
        var page: AWXPage<T> = try await get(path, query: query)
        items += page.results
        var seen: Set<String> = []
        while let next = page.next, !next.isEmpty {
            guard seen.insert(next).inserted else {
                throw AWXError.malformed(path: path, reason: "pagination loops at \(next)")
            }
            page = try await get(next)
            items += page.results
        }
        return items
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, path: String) throws -> T {
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw AWXError.malformed(path: path, reason: DecodingMessage.describe(error))
        }
    }

    /// `next` links are paths (`/api/v2/…?page=2`) or whole URLs.
    func url(_ pathOrURL: String) -> String {
        pathOrURL.hasPrefix("http://") || pathOrURL.hasPrefix("https://") ? pathOrURL : settings.host + pathOrURL
    }

    /// A request whose answer is not JSON (AWX's cancel answers 202 with an empty body).
    func sendRaw(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Data {
        try await send(method, path, body: body)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Data {
        var attempt = 0
        var delay = settings.retryDelay
        while true {
            attempt += 1
            let retryable: String
            do {
                let (status, data) = try await once(method, path, body: body)
                if (200..<300).contains(status) { return data }
                let text = String(decoding: data.prefix(4000), as: UTF8.self)
                let canRetry = method == .GET ? (status >= 500 || status == 429) : status == 503
                guard canRetry else {
                    if status >= 500 {
                        throw AWXError.unavailable(
                            method: method.rawValue, path: path, reason: "HTTP \(status): \(AWXError.clip(text))",
                            attempts: attempt)
                    }
                    throw AWXError.rejected(status: status, method: method.rawValue, path: path, body: text)
                }
                retryable = "HTTP \(status): \(AWXError.clip(text))"
            } catch let failure as TransportFailure {
                guard method == .GET || failure.neverSent else {
                    throw AWXError.unavailable(
                        method: method.rawValue, path: path,
                        reason: "\(failure.reason); AWX may have acted on it, so it was not sent again",
                        attempts: attempt)
                }
                retryable = failure.reason
            }
            guard attempt <= settings.retries else {
                throw AWXError.unavailable(method: method.rawValue, path: path, reason: retryable, attempts: attempt)
            }
            DriveLog.retry(
                "AWX \(method.rawValue) \(path): \(retryable); retrying in \(delay) (attempt \(attempt + 1) of "
                    + "\(settings.retries + 1))"
            )
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    private struct TransportFailure: Error {
        var reason: String
        var neverSent: Bool
    }

    private func once(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        request.headers.add(name: "Authorization", value: settings.auth.headerValue)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "batch-source-drive")
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let timeout = TimeAmount.nanoseconds(
            Int64(settings.requestTimeout.components.seconds) * 1_000_000_000
                + settings.requestTimeout.components.attoseconds / 1_000_000_000)
        do {
            let response = try await http.execute(request, timeout: timeout)
            var buffer = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), buffer.readData(length: buffer.readableBytes) ?? Data())
        } catch {
            let text = String(describing: error)
            let neverSent =
                text.contains("connectTimeout") || text.contains("connectionRefused")
                || text.contains("Connection refused")
                || text.contains("connectFailed")
            throw TransportFailure(
                reason: neverSent ? "cannot connect (\(ServiceClient.reason(error)))" : ServiceClient.reason(error),
                neverSent: neverSent)
        }
    }
}
