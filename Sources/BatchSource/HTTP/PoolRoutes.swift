import Hummingbird
import InventoryModel

/// `/api/v1/pools`: import (PUT makes a new revision), list, show, delete, hosts, inventory.
struct PoolRoutes {
    let engine: BatchEngine

    func register(on router: Router<APIRequestContext>) {
        let pools = router.group("/api/v1/pools")
        pools.get { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            return try Response.json(try await engine.pools.pools(limit: limit, offset: offset))
        }
        pools.put(":pool") { request, context in
            _ = try context.require(.admin)
            let name = try context.path("pool")
            let format = try Self.format(of: request)
            let text = try await Self.inventoryText(request, context: context)
            let (info, created) = try await engine.pools.importPool(
                name: name, text: consume text, format: format,
                sourceName: request.query("source"))
            return try Response.json(info, status: created ? .created : .ok)
        }
        pools.get(":pool") { _, context in
            _ = try context.require(.read)
            return try Response.json(try await engine.pools.pool(try context.path("pool")))
        }
        pools.delete(":pool") { _, context in
            _ = try context.require(.admin)
            try await engine.pools.deletePool(try context.path("pool"))
            return Response(status: .noContent)
        }
        pools.get(":pool/hosts") { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            let pattern = request.query("pattern").flatMap { $0.isEmpty ? nil : $0 }
            return try Response.json(
                try await engine.pools.hosts(
                    pool: try context.path("pool"), pattern: pattern, limit: limit, offset: offset))
        }
        pools.get(":pool/inventory") { request, context in
            _ = try context.require(.read)
            let revision =
                request.query("revision") == nil
                ? nil : try request.intQuery("revision", default: 1, range: WireLimits.revision)
            let form: InventoryForm = try request.boolQuery("export") ? .export : .merged
            let text = try await engine.pools.inventoryJSON(
                pool: try context.path("pool"), revision: revision, form: form)
            return Response.text(text)
        }
    }

    /// The body as text. The body's bytes are freed when this returns, so a 250 MB pool is not
    /// held twice while it is parsed.
    static func inventoryText(_ request: Request, context: APIRequestContext) async throws -> String {
        var buffer = try await request.bodyBytes(context: context)
        guard buffer.readableBytes > 0 else {
            throw APIError(
                status: 400, code: "bad_request",
                message: "request body is empty; send the inventory (script JSON, YAML or INI)")
        }
        guard let text = buffer.readString(length: buffer.readableBytes, encoding: .utf8) else {
            throw APIError(status: 400, code: "bad_request", message: "the inventory is not valid UTF-8")
        }
        return text
    }

    /// `?format=` wins, then the Content-Type; nil lets the reader detect it from the content.
    static func format(of request: Request) throws -> InventoryFormat? {
        if let name = request.query("format") {
            guard let format = InventoryFormat(rawValue: name) else {
                let allowed = InventoryFormat.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(
                    status: 400, code: "bad_request", message: "format must be one of \(allowed), got \"\(name)\"")
            }
            return format
        }
        guard let type = request.headers[.contentType] else { return nil }
        return InventoryFormat(mediaType: type)
    }
}
