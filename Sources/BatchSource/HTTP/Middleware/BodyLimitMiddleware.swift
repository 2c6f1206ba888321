import Hummingbird

/// Gives every request the service's body limit (`--max-body`), which request bodies are
/// collected up to.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.bodyLimit = bodyLimit
        return try await next(request, context)
    }
}
