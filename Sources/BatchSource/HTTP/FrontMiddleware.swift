import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// The outermost middleware: gives every request an id, turns every error into the API's
/// JSON error model, logs one line per request and records its latency by route and status.
///
/// Logs carry method, path (never the query: it may hold a consumer name but a token never
/// travels there; headers are never logged), status, duration and request id.
struct FrontMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = bodyLimit
        let incoming = request.headers[.xRequestID].flatMap { id in
            id.count <= 128 && id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? id : nil
        }
        context.requestID = incoming ?? context.id
        // Hummingbird logs its own id as hb.request.id (and needs it there); a caller's id wins.
        if let incoming { context.logger[metadataKey: "hb.request.id"] = .string(incoming) }
        let start = DispatchTime.now().uptimeNanoseconds
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": .string(String(describing: error))])
            }
            response = apiError.response()
        }
        response.headers[.xRequestID] = context.requestID
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        let route = context.endpointPath ?? "unmatched"
        Timer(label: "batch_source_http_request_duration_seconds",
              dimensions: [("route", route), ("method", request.method.rawValue), ("status", String(response.status.code))])
            .recordNanoseconds(Int64(elapsed))
        let level: Logger.Level = response.status.code >= 500 ? .warning : .info
        context.logger.log(level: level, "request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code), "duration_ms": .string(String(format: "%.2f", Double(elapsed) / 1e6)),
        ])
        return response
    }
}

/// Checks the bearer token of every request but the public health routes and records who it
/// acts as; the handlers then demand their scope. The token itself is never logged.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let tokens: TokenService
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(status: 401, code: "unauthorized", message: "missing Authorization: Bearer token")
        }
        guard let bearer = Self.bearer(header) else {
            throw APIError(status: 401, code: "unauthorized", message: "Authorization header must be 'Bearer <token>'")
        }
        guard let principal = try await tokens.verify(bearer) else {
            throw APIError(status: 401, code: "unauthorized", message: "the bearer token is unknown, revoked or malformed")
        }
        var context = context
        context.principal = principal
        // Setting metadata makes the text log handler re-render all of it: only worth it when
        // the handlers' info lines are written at all.
        if context.logger.logLevel <= .info { context.logger[metadataKey: "principal"] = .string(principal.name) }
        return try await next(request, context)
    }
}

extension AuthMiddleware {
    /// The credentials of `Bearer <token>` (scheme in any case, blanks around the token), or nil.
    static func bearer(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " ") || bytes[scheme.count] == UInt8(ascii: "\t"),
              zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var start = scheme.count, end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
