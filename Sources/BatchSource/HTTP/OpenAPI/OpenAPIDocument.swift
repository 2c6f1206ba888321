/// The OpenAPI 3.0.3 description of the HTTP API, served at `/api/v1/openapi.json`.
///
/// Kept as JSON text in Swift so the binary carries it (no bundle resources), split by area so
/// each part stays readable. Every fragment is a whole JSON object; `json()` joins their
/// members into one document.
enum OpenAPIDocument {
    /// The whole document as JSON text.
    static func json() -> String { assembled }

    private static let assembled: String = {
        let paths = [servicePaths, poolPaths, cursorPaths, claimPaths, batchPaths].map(members).joined(separator: ",\n")
        return """
            {
            \(members(header)),
            "paths": {
            \(paths)
            },
            "components": {
            "schemas": \(schemas),
            \(members(sharedComponents))
            }
            }
            """
    }()

    /// The members of a JSON object's text, without its braces, so objects can be merged.
    static func members(_ object: String) -> String {
        var text = Substring(object)
        while let c = text.first, c.isWhitespace { text.removeFirst() }
        while let c = text.last, c.isWhitespace { text.removeLast() }
        precondition(text.first == "{" && text.last == "}", "an OpenAPI fragment must be one JSON object")
        return String(text.dropFirst().dropLast())
    }

    /// `openapi`, `info`, `servers`, the global security requirement and the tags.
    static let header = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "batch-source",
    "version": "1",
    "description": "Hands hosts out in consistent, resumable batches to Ansible and AWX. Pools are named inventories (every import makes an immutable revision); a cursor is a rollout over one pool revision; a claim leases the cursor's next batch to a consumer. JSON is snake_case, times are RFC 3339 UTC. Errors are {\"error\": {\"code\", \"message\", \"retry_after_seconds\"?}} with the status that fits. Every answer carries X-Request-Id (the caller's, when it sent a valid one)."
  },
  "servers": [{"url": "/"}],
  "security": [{"bearerAuth": []}],
  "tags": [
    {"name": "service", "description": "Health, readiness, metrics and this document."},
    {"name": "seed", "description": "The seed API, kept for existing inventory scripts."},
    {"name": "pools", "description": "Named host inventories with immutable revisions."},
    {"name": "cursors", "description": "Rollouts over a pinned pool revision."},
    {"name": "claims", "description": "Leasing batches to consumers."},
    {"name": "batches", "description": "A cursor's batches: results, leases."}
  ]
}
"""#

    /// `securitySchemes`, and the parameters, headers and error responses the paths share.
    static let sharedComponents = #"""
{
  "securitySchemes": {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "bs_<id>_<secret>",
      "description": "Authorization: Bearer bs_<id>_<secret>, made with `batch-source token create`. Scopes nest: read (GETs), claim (claim, heartbeat, complete, release, plus read), admin (everything). Each operation names its scope in x-required-scope."}
  },
  "parameters": {
    "Pool": {"name": "pool", "in": "path", "required": true, "description": "The pool's name.", "schema": {"type": "string"}},
    "Cursor": {"name": "cursor", "in": "path", "required": true, "description": "The cursor's name.", "schema": {"type": "string"}},
    "Batch": {"name": "batch", "in": "path", "required": true, "description": "The batch number, from 1.", "schema": {"type": "integer", "minimum": 1}},
    "Limit": {"name": "limit", "in": "query", "description": "Page size.", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
    "Offset": {"name": "offset", "in": "query", "description": "Items to skip.", "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}}
  },
  "headers": {
    "RetryAfter": {"description": "Seconds after which asking again may succeed.", "schema": {"type": "integer", "minimum": 1}}
  },
  "responses": {
    "BadRequest": {"description": "bad_request: malformed JSON or body, a missing or malformed parameter.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "Unauthorized": {"description": "unauthorized: no bearer token, or one that is unknown, revoked or malformed.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "Forbidden": {"description": "forbidden: the token's scope does not cover this operation (see x-required-scope).",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "NotFound": {"description": "not_found: no pool, cursor or batch of that name or number.",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "PayloadTooLarge": {"description": "payload_too_large: the body is larger than the service's limit (serve --max-body).",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "InvalidRequest": {"description": "invalid_request: well-formed, but the values do not fit (a bad name, batch size, host pattern or setting).",
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "StoreUnavailable": {"description": "store_unavailable: the database does not answer; nothing was changed. Ask again after Retry-After.",
      "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
  }
}
"""#
}
