import Hummingbird
import Prometheus

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics`
/// (Prometheus text): these three need no token, so load balancers and scrapers can use them.
/// And the API's OpenAPI document, for any token.
struct HealthRoutes {
    let store: any Store
    let registry: PrometheusCollectorRegistry?

    func register(on router: Router<APIRequestContext>) {
        router.get("/healthz") { _, _ in
            Response.text(#"{"status":"ok"}"#)
        }
        router.get("/readyz") { _, _ in
            guard await store.isReachable() else {
                throw APIError(
                    status: 503, code: "not_ready", message: "the database does not answer", retryAfterSeconds: 2)
            }
            return Response.text(#"{"status":"ready"}"#)
        }
        router.get("/api/v1/openapi.json") { _, context in
            _ = try context.require(.read)
            return Response.text(try OpenAPIDocument.json.get())
        }
        router.get("/metrics") { _, _ in
            guard let registry else {
                throw APIError(status: 404, code: "not_found", message: "metrics are not enabled in this process")
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
