extension OpenAPIDocument {
    /// `/api/v1/cursors/{cursor}/claim`: lease a batch (POST) or re-read the held one (GET).
    static let claimPaths = #"""
{
  "/api/v1/cursors/{cursor}/claim": {
    "parameters": [{"$ref": "#/components/parameters/Cursor"}],
    "post": {
      "operationId": "claimBatch", "tags": ["claims"], "summary": "Claim a batch",
      "description": "The rules, in this order, in one transaction committed before the answer:\n1. a claim_key seen before returns the same batch again, whatever happened since;\n2. a consumer that holds an unfinished batch gets it again (ack explicit, its lease renewed if it ran out), or that batch is completed as ok and the consumer goes on (ack auto, the seed's behaviour);\n3. a cursor that is not active answers with its state and why: done is 200 with no batch and has_more false; paused, halted and aborted are 409 cursor_<state>;\n4. a batch whose lease expired, or that was released, is handed out again, attempt + 1;\n5. else, while fewer than max_in_flight batches are out, the next batch of the plan is leased;\n6. else nothing is free now: 409 no_batch_free with Retry-After (when the earliest lease ends, 1-60 s).\nThe batch carries its hosts, hostvars and groups (with vars, children and only the batch's hosts; parents up to all included), batch_id, attempt and lease_expires_at.",
      "x-required-scope": "claim",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClaimRequest"}}}},
      "responses": {
        "200": {"description": "The batch the consumer now holds, or (cursor done) no batch and has_more false.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClaimResponse"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "cursor_paused, cursor_halted, cursor_aborted: the cursor hands out no batch (the message carries the state's reason). no_batch_free: max_in_flight batches are out; ask again after Retry-After.",
          "headers": {"Retry-After": {"description": "With no_batch_free: seconds until a lease may end.", "schema": {"type": "integer", "minimum": 1}}},
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"},
            "examples": {
              "paused": {"value": {"error": {"code": "cursor_paused", "message": "cursor web is paused: paused by an operator; resume it with `batch-source cursor resume web`"}}},
              "halted": {"value": {"error": {"code": "cursor_halted", "message": "cursor web is halted: batch 2: 3 of 10 hosts failed or unreachable, more than max_fail_percentage 20%; look at the failed hosts, then resume or abort it"}}},
              "aborted": {"value": {"error": {"code": "cursor_aborted", "message": "cursor web is aborted: aborted by an operator"}}},
              "busy": {"value": {"error": {"code": "no_batch_free", "message": "cursor web has 1 batch(es) out, its max_in_flight; ask again in 30 s or complete a batch", "retry_after_seconds": 30}}}
            }}}},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_request: consumer is empty.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    },
    "get": {
      "operationId": "getClaimedBatch", "tags": ["claims"], "summary": "Re-read the batch a consumer or claim key holds, without claiming",
      "description": "What a claim would re-read, changing nothing: the batch the claim_key got, else the consumer's unfinished (leased) batch. For inventory-script --host and re-runs of --list.",
      "x-required-scope": "read",
      "parameters": [
        {"name": "consumer", "in": "query", "description": "The consumer; the token's name when neither consumer nor claim_key is given.", "schema": {"type": "string"}},
        {"name": "claim_key", "in": "query", "description": "The attempt's claim key.", "schema": {"type": "string"}}
      ],
      "responses": {
        "200": {"description": "The held batch, with hosts, hostvars and groups.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClaimResponse"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "not_found: no such cursor. no_current_batch: the consumer or claim key holds no batch of the cursor.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  }
}
"""#
}
