import Hummingbird
import Prometheus

/// Everything the HTTP API needs, gathered so tests and `serve` build the same router.
public struct APIDependencies: Sendable {
    public var engine: BatchEngine
    public var tokens: TokenService
    public var registry: PrometheusCollectorRegistry?
    public var defaultCursor: String?
    public var bodyLimit: Int

    public init(
        engine: BatchEngine, tokens: TokenService, registry: PrometheusCollectorRegistry? = nil,
        defaultCursor: String? = nil, bodyLimit: Int = 512 * 1024 * 1024
    ) {
        self.engine = engine
        self.tokens = tokens
        self.registry = registry
        self.defaultCursor = defaultCursor
        self.bodyLimit = bodyLimit
    }
}

/// The service's router: every route of the API behind its middleware, outermost first: the
/// request id (so every answer carries it), the access log and the latency metric (which see
/// the final status), error answers, the body limit, and the bearer token.
public enum APIRouter {
    public static func make(_ deps: APIDependencies) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: DashboardMiddleware())
        router.add(middleware: BodyLimitMiddleware(bodyLimit: deps.bodyLimit))
        router.add(middleware: AuthMiddleware(tokens: deps.tokens))
        HealthRoutes(store: deps.engine.store, registry: deps.registry).register(on: router)
        SeedRoutes(engine: deps.engine, defaultCursor: deps.defaultCursor).register(on: router)
        PoolRoutes(engine: deps.engine).register(on: router)
        CursorRoutes(engine: deps.engine).register(on: router)
        BatchRoutes(engine: deps.engine).register(on: router)
        WhoamiRoutes().register(on: router)
        // After the routes, so that it runs only for requests that no route took.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }
}
