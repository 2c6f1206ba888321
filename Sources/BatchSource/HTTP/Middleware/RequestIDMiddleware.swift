import HTTPTypes
import Hummingbird

/// Gives every request an id, the caller's `X-Request-Id` when it is a sane one, and echoes it
/// on the answer, error answers included.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let incoming = request.headers[.xRequestID].flatMap { id in
            id.count <= 128 && id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? id : nil
        }
        context.requestID = incoming ?? context.id
        // Hummingbird logs its own id as hb.request.id (and needs it there); a caller's id wins.
        if let incoming { context.logger[metadataKey: "hb.request.id"] = .string(incoming) }
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.requestID
        return response
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
