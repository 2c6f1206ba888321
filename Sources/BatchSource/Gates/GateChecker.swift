import AsyncHTTPClient
import Foundation
import InventoryModel
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Checks health gates: one GET per check, judged by ``HTTPGateVerdict`` or
/// ``PrometheusVerdict``. ``check(_:)`` never throws: whatever goes wrong (a refused host, a
/// closed port, a timeout, junk in the answer) is an unhealthy outcome whose evidence says
/// what happened, so the cursor halts with a reason instead of an error.
///
/// The checker makes its own HTTP client, since the settings that keep gates from becoming
/// a proxy into the network belong to the client, not to a request: redirects are never
/// followed (a listed host could otherwise send us to any other), no proxy is used, and
/// bodies are read only up to ``bodyLimit``. Call ``shutdown()`` when the service stops.
struct GateChecker: Sendable {
    /// A whole check (connect, answer, body) may take this long.
    static let requestTimeout: Duration = .seconds(10)
    /// Connecting may take this long. AsyncHTTPClient retries a refused connection until
    /// then, so it is also how long a closed port takes to be reported.
    static let connectTimeout: Duration = .seconds(5)
    /// The most bytes of an answer read; a health answer or an alert query is far smaller.
    static let bodyLimit = 1 << 20

    let http: HTTPClient
    let allowList: GateAllowList

    init(allowList: GateAllowList, eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) {
        self.allowList = allowList
        self.http = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: Self.configuration)
    }

    /// Shuts the HTTP client down (AsyncHTTPClient requires it before the client goes away).
    func shutdown() async throws { try await http.shutdown() }

    static var configuration: HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        c.proxy = nil
        c.decompression = .disabled
        c.timeout = .init(
            connect: .seconds(Int64(connectTimeout.components.seconds)),
            read: .seconds(Int64(requestTimeout.components.seconds)))
        return c
    }

    /// Checks `gate` once.
    func check(_ gate: GateSpec) async -> GateOutcome {
        // The cursor was checked against the allow-list when it was made, but the list is a
        // serve setting and may have shrunk since; and a stored gate is input too.
        if let refusal = allowList.refusal(for: gate) { return .unhealthy(refusal) }
        if let problem = gate.problem { return .unhealthy("\(gate.label()): \(problem)") }
        let url: String
        switch gate.type {
        case .http: url = gate.url
        case .prometheus: url = Self.queryURL(base: gate.url, query: gate.query ?? "")
        }
        let answer: Answer
        do { answer = try await fetch(url) } catch { return .unhealthy(Self.describe(error)) }
        switch gate.type {
        case .http:
            return HTTPGateVerdict.judge(gate, status: answer.status, body: answer.body, truncated: answer.truncated)
        case .prometheus:
            return PrometheusVerdict.judge(status: answer.status, body: answer.body, truncated: answer.truncated)
        }
    }

    /// `{base}/api/v1/query?query=…`; the base's trailing slashes go, so `http://p:9090/`
    /// works as well as `http://p:9090`. The base has no `?` or `#` (``GateSpec/problem``).
    static func queryURL(base: String, query: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") { base = base.dropLast() }
        return "\(base)/api/v1/query?query=\(escape(query))"
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// An answer: its status and at most ``bodyLimit`` bytes of its body.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        /// The body was longer than ``bodyLimit``.
        var truncated: Bool
    }

    /// Thrown when the whole check took longer than ``requestTimeout``.
    struct Timeout: Error {}

    /// GETs `url` within ``requestTimeout``. AsyncHTTPClient's deadline covers the answer's
    /// head only, so the whole exchange, body included, races a timer here.
    func fetch(_ url: String) async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await self.get(url) }
            group.addTask {
                try await Task.sleep(for: Self.requestTimeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw Timeout() }
            return answer
        }
    }

    private func get(_ url: String) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json, */*;q=0.5")
        request.headers.add(name: "User-Agent", value: "batch-source-gate/\(BatchSourceVersion.string)")
        let seconds = Int64(Self.requestTimeout.components.seconds)
        let response = try await http.execute(request, deadline: .now() + .seconds(seconds))
        var body: [UInt8] = []
        var truncated = false
        // Leaving the loop early drops the rest: AsyncHTTPClient closes the connection.
        for try await chunk in response.body {
            let room = Self.bodyLimit - body.count
            if chunk.readableBytes > room {
                body += chunk.readableBytesView.prefix(room)
                truncated = true
                break
            }
            body += chunk.readableBytesView
        }
        return Answer(status: Int(response.status.code), body: body, truncated: truncated)
    }

    /// A transport failure in words: `connection refused`, `timeout after 10 s`, … Never the
    /// URL (it could hold what the gate's problem check refuses) or the request's headers.
    static func describe(_ error: any Error) -> String {
        let timeout = "timeout after \(requestTimeout.components.seconds) s"
        switch error {
        case is Timeout: return timeout
        case is CancellationError: return "check cancelled"
        case let e as HTTPClientError:
            switch e {
            case .deadlineExceeded, .readTimeout: return timeout
            case .connectTimeout: return "connect timeout after \(connectTimeout.components.seconds) s"
            case .cancelled: return "check cancelled"
            case .remoteConnectionClosed: return "the server closed the connection before it answered"
            default: return "HTTP client error: \(e)"
            }
        case let e as NIOConnectionError:
            if e.connectionErrors.isEmpty {
                return "cannot resolve host \(e.host)"
            }
            let reasons = Set(e.connectionErrors.map { describe($0.error) })
            return reasons.sorted().joined(separator: "; ")
        case let e as IOError:
            switch e.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ECONNRESET: return "connection reset"
            case EHOSTUNREACH: return "host unreachable"
            case ENETUNREACH: return "network unreachable"
            default: return "\(e)"
            }
        case let e as ChannelError:
            if case .connectTimeout = e { return "connect timeout after \(connectTimeout.components.seconds) s" }
            return "\(e)"
        case let e as NIOSSLError: return "TLS error: \(e)"
        case let e as BoringSSLError: return "TLS error: \(e)"
        default: return "\(error)"
        }
    }
}
