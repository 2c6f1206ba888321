extension OpenAPIDocument {
    /// `/api/v1/cursors/{cursor}/batches`: list, show, complete, heartbeat, release.
    static let batchPaths = #"""
{
  "/api/v1/cursors/{cursor}/batches": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}],
    "get": {
      "operationId": "listBatches", "tags": ["batches"], "summary": "List a cursor's batches handed out so far",
      "x-required-scope": "read",
      "parameters": [
        {"name": "state", "in": "query", "description": "Only batches in this state.", "schema": {"$ref": "#/components/schemas/BatchState"}},
        {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}
      ],
      "responses": {
        "200": {"description": "A page of batches, by number.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchInfoPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/batches/{batch}": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Batch"}],
    "get": {
      "operationId": "getBatch", "tags": ["batches"], "summary": "Show a batch",
      "x-required-scope": "read",
      "responses": {
        "200": {"description": "The batch, its latest attempt and its results.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchInfo"}}}},
        "400": {"description": "bad_request: n is not a positive integer.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "not_found: no such cursor, or no batch n handed out yet.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/batches/{batch}/complete": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Batch"}],
    "post": {
      "operationId": "completeBatch", "tags": ["batches"], "summary": "Report a batch's results",
      "description": "Per-host results and/or AWX host-summary counters; hosts not named count as ok, so an empty body completes the batch as all ok. Completing again with the same results is a no-op (200); with other results it is 409 batch_completed. The failure thresholds and pause_after are checked here: the cursor may become halted, paused or done. A completion for a batch whose lease ran out is accepted while nobody else has taken the batch.",
      "x-required-scope": "claim",
      "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CompleteRequest"}}}},
      "responses": {
        "200": {"description": "The completed batch with its results.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchInfo"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "batch_completed: completed before with other results. batch_not_leased: the batch was released or its attempt ended; claim it first. not_holder: claim_key names another attempt than the current one.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: a named host is not in the batch.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/batches/{batch}/heartbeat": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Batch"}],
    "post": {
      "operationId": "heartbeatBatch", "tags": ["batches"], "summary": "Extend a held batch's lease",
      "description": "Sets the lease to end lease_seconds (else the cursor's lease_seconds) from now, and records external_ref when given. consumer and claim_key, when given, must name the current attempt.",
      "x-required-scope": "claim",
      "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeaseRequest"}}}},
      "responses": {
        "200": {"description": "The batch with its new lease_expires_at.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchInfo"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "batch_completed: the batch is completed. batch_not_leased: nobody holds it. not_holder: another consumer or attempt holds it.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: lease_seconds below 1.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/cursors/{cursor}/batches/{batch}/release": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}, {"$ref": "#/components/parameters/Batch"}],
    "post": {
      "operationId": "releaseBatch", "tags": ["batches"], "summary": "Give a held batch back unfinished",
      "description": "Ends the current attempt; the batch becomes available and the next claim takes it up again (attempt + 1). consumer and claim_key, when given, must name the current attempt.",
      "x-required-scope": "claim",
      "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeaseRequest"}}}},
      "responses": {
        "200": {"description": "The batch, now available.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchInfo"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "batch_completed: the batch is completed. batch_not_leased: nobody holds it. not_holder: another consumer or attempt holds it.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  }
}
"""#
}
