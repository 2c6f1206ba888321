import Dispatch
import Hummingbird
import Metrics

/// Records `batch_source_http_request_duration_seconds{route,method,status}`: by the route's
/// pattern, not its path, so cursor names do not make a series each.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        Timer(
            label: "batch_source_http_request_duration_seconds",
            dimensions: [
                ("route", context.endpointPath ?? "unmatched"), ("method", request.method.rawValue),
                ("status", String(response.status.code)),
            ]
        )
        .recordNanoseconds(Int64(elapsed))
        return response
    }
}
