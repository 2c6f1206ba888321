import HTTPTypes
import Hummingbird

/// Serves the dashboard at `/ui/` from the files built into the binary, ahead of the token
/// check: the files hold nothing secret, and every API call the page makes carries the token.
///
/// It answers before the router so the OpenAPI document keeps describing the API alone.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    static let prefix = "/ui/"

    /// No inline script or style, nothing from another origin, never inside a frame.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        if path == "/ui" {
            return Self.answer(
                .permanentRedirect, headers: [.location: Self.prefix], text: "the dashboard is at /ui/\n")
        }
        guard path.hasPrefix(Self.prefix) else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else {
            return Self.answer(
                .methodNotAllowed, headers: [.allow: "GET, HEAD"], text: "the dashboard's files are only read\n")
        }
        let name = path.dropFirst(Self.prefix.count)
        guard let file = DashboardFiles.all[name.isEmpty ? "index.html" : String(name)] else {
            return Self.answer(.notFound, text: "no such dashboard file\n")
        }
        var headers = Self.commonHeaders
        headers[.eTag] = file.etag
        headers[.cacheControl] = "no-cache"
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingSpaces == file.etag || $0.trimmingSpaces == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        let body: ResponseBody = request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: file.bytes))
        return Response(status: .ok, headers: headers, body: body)
    }

    static let commonHeaders: HTTPFields = [
        .securityPolicy: contentSecurityPolicy,
        .typeOptions: "nosniff",
        .frameOptions: "DENY",
        .referrerRule: "no-referrer",
    ]

    static func answer(_ status: HTTPResponse.Status, headers extra: HTTPFields = [:], text: String) -> Response {
        var headers = commonHeaders
        headers.append(contentsOf: extra)
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

extension HTTPField.Name {
    fileprivate static let securityPolicy = Self("Content-Security-Policy")!
    fileprivate static let typeOptions = Self("X-Content-Type-Options")!
    fileprivate static let frameOptions = Self("X-Frame-Options")!
    fileprivate static let referrerRule = Self("Referrer-Policy")!
}
