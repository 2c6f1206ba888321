import Hummingbird
import InventoryModel

/// `/api/v1/cursors`: create, list, show, merge-patch, retry, claim and the consumer's
/// current batch, hosts by result.
struct CursorRoutes {
    let engine: BatchEngine

    func register(on router: Router<APIRequestContext>) {
        let cursors = router.group("/api/v1/cursors")
        cursors.post { request, context in
            let admin = try context.require(.admin)
            let create = try await request.decodeJSON(CursorCreateRequest.self, context: context)
            if try request.boolQuery("dry_run") {
                let (limit, offset) = try request.paging()
                return try Response.json(try await engine.cursors.dryRun(create, limit: limit, offset: offset))
            }
            return try Response.json(try await engine.cursors.create(create, actor: admin.name), status: .created)
        }
        cursors.get { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            let state = try request.enumQuery("state", CursorState.self)
            return try Response.json(
                try await engine.cursors.cursors(
                    state: state, pool: request.query("pool"), limit: limit, offset: offset))
        }
        cursors.get(":cursor") { _, context in
            _ = try context.require(.read)
            return try Response.json(try await engine.cursors.cursor(try context.path("cursor")))
        }
        cursors.patch(":cursor") { request, context in
            let admin = try context.require(.admin)
            let patch = try await request.jsonObject(context: context)
            return try Response.json(
                try await engine.cursors.patch(try context.path("cursor"), patch, actor: admin.name))
        }
        cursors.post(":cursor/retry") { request, context in
            let admin = try context.require(.admin)
            let retry = try await request.decodeJSON(RetryRequest.self, context: context)
            return try Response.json(
                try await engine.cursors.retry(try context.path("cursor"), retry, actor: admin.name), status: .created)
        }
        cursors.post(":cursor/claim") { request, context in
            let principal = try context.require(.claim)
            let claim = try await request.decodeJSON(ClaimRequest.self, context: context)
            return try Response.json(
                try await engine.cursors.claim(try context.path("cursor"), claim, actor: principal.name))
        }
        cursors.get(":cursor/plan") { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            return try Response.json(
                try await engine.cursors.planPreview(try context.path("cursor"), limit: limit, offset: offset))
        }
        cursors.get(":cursor/events") { request, context in
            _ = try context.require(.read)
            let (limit, _) = try request.paging()
            let after = try request.intQuery("after", default: 0, range: 0...Int(Int32.max))
            return try Response.json(
                try await engine.cursors.events(try context.path("cursor"), after: after, limit: limit))
        }
        cursors.get(":cursor/claim") { request, context in
            let principal = try context.require(.read)
            let key = request.query("claim_key")
            let consumer = request.query("consumer") ?? (key == nil ? principal.name : nil)
            return try Response.json(
                try await engine.cursors.currentBatch(try context.path("cursor"), consumer: consumer, claimKey: key))
        }
        cursors.get(":cursor/hosts") { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            var status: HostStatus?
            var pending = false
            if let result = request.query("result") {
                if result == "pending" {
                    pending = true
                } else if let s = HostStatus(rawValue: result) {
                    status = s
                } else {
                    let allowed = (HostStatus.allCases.map(\.rawValue) + ["pending"]).joined(separator: ", ")
                    throw APIError(
                        status: 400, code: "bad_request", message: "result must be one of \(allowed), got \"\(result)\""
                    )
                }
            }
            return try Response.json(
                try await engine.cursors.hosts(
                    try context.path("cursor"), status: status, pendingOnly: pending,
                    limit: limit, offset: offset))
        }
    }
}

/// `/api/v1/cursors/{cursor}/batches`: list, show, complete, heartbeat, release.
struct BatchRoutes {
    let engine: BatchEngine

    func register(on router: Router<APIRequestContext>) {
        let batches = router.group("/api/v1/cursors/:cursor/batches")
        batches.get { request, context in
            _ = try context.require(.read)
            let (limit, offset) = try request.paging()
            let state = try request.enumQuery("state", BatchState.self)
            return try Response.json(
                try await engine.cursors.batches(try context.path("cursor"), state: state, limit: limit, offset: offset)
            )
        }
        batches.get(":batch") { _, context in
            _ = try context.require(.read)
            return try Response.json(
                try await engine.cursors.batch(try context.path("cursor"), id: try context.intPath("batch")))
        }
        batches.post(":batch/complete") { request, context in
            let principal = try context.require(.claim)
            let body = try await request.decodeJSON(CompleteRequest.self, context: context, emptyIsObject: true)
            return try Response.json(
                try await engine.cursors.complete(
                    try context.path("cursor"), batch: try context.intPath("batch"), body,
                    forcedBy: try Self.forcer(body, context), actor: principal.name))
        }
        batches.post(":batch/heartbeat") { request, context in
            _ = try context.require(.claim)
            let body = try await request.decodeJSON(LeaseRequest.self, context: context, emptyIsObject: true)
            return try Response.json(
                try await engine.cursors.heartbeat(
                    try context.path("cursor"), batch: try context.intPath("batch"), body,
                    forcedBy: try Self.forcer(body, context)))
        }
        batches.post(":batch/release") { request, context in
            let principal = try context.require(.claim)
            let body = try await request.decodeJSON(LeaseRequest.self, context: context, emptyIsObject: true)
            return try Response.json(
                try await engine.cursors.release(
                    try context.path("cursor"), batch: try context.intPath("batch"), body,
                    forcedBy: try Self.forcer(body, context), actor: principal.name))
        }
    }

    /// `force` is for admins only: the token's name, recorded on the attempt and logged.
    static func forcer(_ claim: some AttemptClaim, _ context: APIRequestContext) throws -> String? {
        guard claim.force else { return nil }
        let admin = try context.require(.admin)
        context.logger.warning(
            "an admin acts for a batch's holder (force)", metadata: ["token": .string(admin.name)])
        return admin.name
    }
}
