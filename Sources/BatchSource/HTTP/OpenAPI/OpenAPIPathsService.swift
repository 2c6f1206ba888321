extension OpenAPIDocument {
    /// Health, readiness, metrics, this document, and the seed API's `/api/nextBatch`.
    static let servicePaths = #"""
{
  "/healthz": {
    "get": {
      "operationId": "getHealth", "tags": ["service"], "summary": "The process answers",
      "description": "Liveness: answers as long as the process serves HTTP, whatever the database does. Needs no token.",
      "security": [],
      "responses": {
        "200": {"description": "Alive.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}, "example": {"status": "ok"}}}}
      }
    }
  },
  "/readyz": {
    "get": {
      "operationId": "getReadiness", "tags": ["service"], "summary": "The database answers",
      "description": "Readiness for a load balancer: 200 while the store answers, else 503. Needs no token.",
      "security": [],
      "responses": {
        "200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}, "example": {"status": "ready"}}}},
        "503": {"description": "not_ready: the database does not answer.",
          "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
      }
    }
  },
  "/metrics": {
    "get": {
      "operationId": "getMetrics", "tags": ["service"], "summary": "Prometheus metrics",
      "description": "Prometheus text exposition format 0.0.4: request latency by route, method and status; claims by outcome; batches in flight; lease expiries and redeliveries per cursor. Needs no token.",
      "security": [],
      "responses": {
        "200": {"description": "The metrics.", "content": {"text/plain": {"schema": {"type": "string"},
          "example": "# TYPE batch_source_claims_total counter\nbatch_source_claims_total{cursor=\"web\",outcome=\"batch\"} 12\n"}}},
        "404": {"description": "not_found: metrics are not enabled in this process.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
      }
    }
  },
  "/api/v1/openapi.json": {
    "get": {
      "operationId": "getOpenAPIDocument", "tags": ["service"], "summary": "This document",
      "description": "The OpenAPI 3.0.3 description of this API.",
      "x-required-scope": "read",
      "responses": {
        "200": {"description": "The document.", "content": {"application/json": {"schema": {"type": "object", "additionalProperties": true}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"}
      }
    }
  },
  "/api/v1/whoami": {
    "get": {
      "operationId": "getWhoami", "tags": ["service"], "summary": "The calling token",
      "description": "The name and scope of the token that makes the call, so a client can offer only what it may do.",
      "x-required-scope": "read",
      "responses": {
        "200": {"description": "The token.", "content": {"application/json": {"schema": {"type": "object", "required": ["name", "scope"],
          "properties": {"name": {"type": "string"}, "scope": {"type": "string", "enum": ["read", "claim", "admin"]}}},
          "example": {"name": "awx-prod", "scope": "claim"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"}
      }
    }
  },
  "/api/nextBatch": {
    "get": {
      "operationId": "getNextBatch", "tags": ["seed"], "summary": "The seed API: claim the next batch",
      "description": "Kept exactly for existing inventory scripts. An auto-ack claim (rules as on POST /api/v1/cursors/{cursor}/claim): asking again completes the consumer's previous batch as ok and leases the next one. The consumer is the token's name unless ?consumer= names one, so concurrent clients with different tokens or consumers never see a host twice. When the rollout is done it answers batch_id one past the last batch, no hosts and has_more false.",
      "x-required-scope": "claim",
      "parameters": [
        {"name": "cursor", "in": "query", "description": "The cursor to claim from; required unless the service runs with serve --default-cursor.", "schema": {"type": "string"}},
        {"name": "consumer", "in": "query", "description": "Who holds the batch; the token's name when absent or empty.", "schema": {"type": "string"}}
      ],
      "responses": {
        "200": {"description": "The next batch, or the end.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NextBatchResponse"},
          "examples": {"batch": {"value": {"batch_id": 3, "hosts": ["srv101", "srv102"], "has_more": true}},
                       "end": {"value": {"batch_id": 9, "hosts": [], "has_more": false}}}}}},
        "400": {"description": "bad_request: no ?cursor= and no default cursor.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "cursor_paused, cursor_halted, cursor_aborted: the cursor hands out no batch (the message says why). no_batch_free: every batch the cursor may have out is out; ask again after Retry-After.",
          "headers": {"Retry-After": {"description": "With no_batch_free: seconds until a lease may end.", "schema": {"type": "integer", "minimum": 1}}},
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  }
}
"""#
}
