import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `batch-source serve`: opens the store, makes sure the bootstrap token exists, and runs the
/// HTTP API until SIGTERM/SIGINT, then stops accepting, lets requests in flight finish (up to
/// the grace period) and closes the database.
public enum ServiceRunner {
    /// Sets up process-wide logging and metrics; call once, before `run`.
    public static func bootstrapObservability(_ settings: ServeSettings) -> PrometheusCollectorRegistry {
        let level = settings.logLevel
        switch settings.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    public static func run(
        _ settings: ServeSettings, registry: PrometheusCollectorRegistry?,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let logger = {
            var l = Logger(label: "batch-source"); l.logLevel = settings.logLevel; return l
        }()
        _ = try OpenAPIDocument.json.get()
        let store = try await StoreOpener.open(settings.database)
        let tokens = TokenService(store: store)
        do {
            for token in [try settings.tokenFromFile(), settings.bootstrapToken].compactMap({ $0 }) {
                try await tokens.ensureBootstrap(token)
            }
        } catch {
            try? await store.close()
            throw error
        }
        let engine: BatchEngine
        do { engine = try BatchEngine(store: store, gateHosts: settings.gateHosts, logger: logger) } catch {
            try? await store.close()
            throw error
        }
        let deps = APIDependencies(
            engine: engine, tokens: tokens, registry: registry,
            defaultCursor: settings.defaultCursor, bodyLimit: settings.maxBody)
        let app = Application(
            router: APIRouter.make(deps),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "batch-source"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                logger.notice(
                    "listening",
                    metadata: [
                        "url": .string("http://\(settings.host):\(port)"),
                        "database": .string(settings.database.description),
                    ])
                onListening(port)
            },
            logger: logger
        )
        var groupConfig = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(settings.shutdownGraceSeconds)
        let group = ServiceGroup(configuration: groupConfig)
        do {
            try await group.run()
        } catch {
            await engine.shutdown()
            try? await store.close()
            throw error
        }
        await engine.shutdown()
        try await store.close()
        logger.notice("stopped; database closed")
    }
}
