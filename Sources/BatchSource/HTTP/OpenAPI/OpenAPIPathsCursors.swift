extension OpenAPIDocument {
    /// `/api/v1/cursors`: create, list, show, merge-patch, retry, and hosts by result.
    static let cursorPaths = #"""
{
  "/api/v1/cursors": {
    "post": {
      "operationId": "createCursor", "tags": ["cursors"], "summary": "Make a cursor (a rollout) over a pool's current revision",
      "description": "Pins the pool's current revision and plans the batches: the plan is a pure function of (pool revision, limit, order, seed, batch_size), so batch k always holds the same hosts.",
      "x-required-scope": "admin",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorCreateRequest"}}}},
      "responses": {
        "201": {"description": "The new cursor, active.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorInfo"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "not_found: no pool of that name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "409": {"description": "cursor_exists: a cursor of that name exists already.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: a bad name, batch_size or setting, a limit pattern that does not parse or selects no host, shuffle without a seed.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    },
    "get": {
      "operationId": "listCursors", "tags": ["cursors"], "summary": "List cursors",
      "x-required-scope": "read",
      "parameters": [
        {"name": "state", "in": "query", "description": "Only cursors in this state.", "schema": {"$ref": "#/components/schemas/CursorState"}},
        {"name": "pool", "in": "query", "description": "Only cursors over this pool.", "schema": {"type": "string"}},
        {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}
      ],
      "responses": {
        "200": {"description": "A page of cursors, by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorInfoPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}],
    "get": {
      "operationId": "getCursor", "tags": ["cursors"], "summary": "Show a cursor",
      "x-required-scope": "read",
      "responses": {
        "200": {"description": "The cursor with its settings, state and progress.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorInfo"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    },
    "patch": {
      "operationId": "patchCursor", "tags": ["cursors"], "summary": "Pause, resume, abort or retune a cursor (JSON Merge Patch)",
      "description": "A JSON Merge Patch (RFC 7396) in one transaction. {\"state\": \"paused\"} pauses an active cursor; {\"state\": \"active\"} resumes a paused or halted one (it becomes done when no host is left); {\"state\": \"aborted\"} stops it for good. batch_size, lease_seconds, max_in_flight, ack, max_fail_percentage, max_failed_hosts and pause_after shape only batches not handed out yet; null removes a setting (its default applies). pool, limit, order and seed are fixed when the cursor is made. Setting the state a cursor already has is a no-op.",
      "x-required-scope": "admin",
      "requestBody": {"required": true, "content": {
        "application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/CursorPatch"}},
        "application/json": {"schema": {"$ref": "#/components/schemas/CursorPatch"}}}},
      "responses": {
        "200": {"description": "The cursor after the patch.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorInfo"}}}},
        "400": {"description": "bad_request: the body is not JSON or not a JSON object.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "cursor_done, cursor_aborted: a finished cursor cannot change state. cursor_halted: only an active cursor can be paused (resume or abort a halted one).",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: an unknown or fixed field, a state other than active, paused or aborted, or settings that do not fit.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/retry": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}],
    "post": {
      "operationId": "retryCursor", "tags": ["cursors"], "summary": "Make a cursor over the failed and unreachable hosts of this one",
      "description": "The new cursor uses the same pool revision and settings (batch_size and order may be changed), keeps the old plan's order unless order is given, and names this cursor in retry_of.",
      "x-required-scope": "admin",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RetryRequest"}}}},
      "responses": {
        "201": {"description": "The new cursor, active.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorInfo"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "cursor_exists: a cursor of the new name exists already.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: the cursor has no failed or unreachable hosts, a bad name or batch_size, shuffle without a seed.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/hosts": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}],
    "get": {
      "operationId": "listCursorHosts", "tags": ["cursors"], "summary": "List a cursor's hosts with their batch and result",
      "x-required-scope": "read",
      "parameters": [
        {"name": "result", "in": "query", "description": "Only hosts with this result; pending: hosts with no result yet.",
          "schema": {"type": "string", "enum": ["ok", "changed", "failed", "unreachable", "skipped", "pending"]}},
        {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}
      ],
      "responses": {
        "200": {"description": "A page of hosts, in plan order.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CursorHostPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  }
}
"""#
}
