import Dispatch
import Foundation
import Hummingbird
import Logging

/// One log line per request once it is answered: method, path, status, duration (and the
/// request id from the logger's metadata).
///
/// The path is logged without its query (it may hold a consumer name), and no header is
/// logged, so a token never reaches the log.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        let level: Logger.Level = response.status.code >= 500 ? .warning : .info
        context.logger.log(
            level: level, "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.2f", Double(elapsed) / 1e6)),
            ])
        return response
    }
}
