import Hummingbird

/// Checks the bearer token of every request but the public health routes and records who it
/// acts as; the handlers then demand their scope. The token itself is never logged.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let tokens: TokenService
    static let publicPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(status: 401, code: "unauthorized", message: "missing Authorization: Bearer token")
        }
        guard let bearer = Self.bearer(header) else {
            throw APIError(status: 401, code: "unauthorized", message: "Authorization header must be 'Bearer <token>'")
        }
        guard let principal = try await tokens.verify(bearer) else {
            throw APIError(
                status: 401, code: "unauthorized", message: "the bearer token is unknown, revoked or malformed")
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
        guard bytes.count > scheme.count,
            bytes[scheme.count] == UInt8(ascii: " ") || bytes[scheme.count] == UInt8(ascii: "\t"),
            zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        var start = scheme.count, end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
