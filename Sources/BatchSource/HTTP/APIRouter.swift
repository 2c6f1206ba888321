import Hummingbird
import Prometheus

/// Everything the HTTP API needs, gathered so tests and `serve` build the same router.
public struct APIDependencies: Sendable {
    public var engine: BatchEngine
    public var tokens: TokenService
    public var registry: PrometheusCollectorRegistry?
    public var defaultCursor: String?
    public var bodyLimit: Int

    public init(engine: BatchEngine, tokens: TokenService, registry: PrometheusCollectorRegistry? = nil,
                defaultCursor: String? = nil, bodyLimit: Int = 512 * 1024 * 1024) {
        self.engine = engine
        self.tokens = tokens
        self.registry = registry
        self.defaultCursor = defaultCursor
        self.bodyLimit = bodyLimit
    }
}

/// The service's router: every route of the API behind the front and auth middleware.
public enum APIRouter {
    public static func make(_ deps: APIDependencies) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: FrontMiddleware(bodyLimit: deps.bodyLimit))
        router.add(middleware: DashboardMiddleware())
        router.add(middleware: AuthMiddleware(tokens: deps.tokens))
        HealthRoutes(store: deps.engine.store, registry: deps.registry).register(on: router)
        SeedRoutes(engine: deps.engine, defaultCursor: deps.defaultCursor).register(on: router)
        PoolRoutes(engine: deps.engine).register(on: router)
        CursorRoutes(engine: deps.engine).register(on: router)
        BatchRoutes(engine: deps.engine).register(on: router)
        WhoamiRoutes().register(on: router)
        return router
    }
}
