import Hummingbird

/// Turns whatever a handler or inner middleware threw into the API's JSON error answer, and
/// logs server errors with the request id (their message names no internals).
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": .string(String(describing: error))])
            }
            return apiError.response()
        }
    }
}
