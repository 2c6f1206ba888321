import Hummingbird

/// `GET /api/v1/whoami`: the calling token's name and scope, so a client (the dashboard) can
/// offer only what the token may do.
struct WhoamiRoutes {
    struct Answer: Encodable {
        let name: String
        let scope: Scope
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/whoami") { _, context in
            let principal = try context.require(.read)
            return try Response.json(Answer(name: principal.name, scope: principal.scope))
        }
    }
}
