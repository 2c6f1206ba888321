extension OpenAPIDocument {
    /// `components.schemas`: the wire types of InventoryModel/API, field for field (names from
    /// their CodingKeys; a field is required when the type always encodes it).
    static let schemas = #"""
{
  "HostStatus": {"type": "string", "enum": ["ok", "changed", "failed", "unreachable", "skipped"],
    "description": "A host's result in a batch, as Ansible's play recap counts it. failed and unreachable count against the failure thresholds and are taken up by a retry cursor."},
  "AckMode": {"type": "string", "enum": ["explicit", "auto"],
    "description": "explicit: the consumer completes its batch before it gets another. auto: a consumer's next claim completes its previous batch as ok (the seed API's behaviour)."},
  "CursorState": {"type": "string", "enum": ["active", "paused", "halted", "aborted", "done"],
    "description": "active: batches are handed out. paused: by an operator or pause_after. halted: a failure threshold tripped (max_fail_percentage, max_failed_hosts, or every host of a batch failed). aborted: stopped for good. done: every host is in a completed batch."},
  "BatchState": {"type": "string", "enum": ["leased", "completed", "available"],
    "description": "leased: held by a consumer under a lease. completed: results are in, final. available: released or its lease expired; the next claim takes it up again."},
  "HostOrder": {"type": "string", "enum": ["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"],
    "description": "Ansible's play keyword order. shuffle is seeded (seed is required) so a resumed rollout sees the same order."},
  "InventoryFormat": {"type": "string", "enum": ["json", "yaml", "ini"]},
  "JSONObject": {"type": "object", "additionalProperties": true, "description": "Free-form variables, as in an Ansible inventory."},
  "BatchSizeItem": {
    "oneOf": [
      {"type": "integer", "minimum": 1, "description": "A number of hosts."},
      {"type": "string", "pattern": "^[0-9]+%?$", "description": "A percentage of all the rollout's hosts (\"10%\", truncated as Ansible's pct_to_int, at least 1 host) or a number of hosts as a string."}
    ]
  },
  "BatchSize": {
    "description": "Hosts per batch, as Ansible serial: 25, \"10%\", or a ramp list such as [1, 5, \"20%\"] whose last item repeats. Every batch has at least one host.",
    "example": [1, 5, "20%"],
    "oneOf": [
      {"$ref": "#/components/schemas/BatchSizeItem"},
      {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/BatchSizeItem"}}
    ]
  },
  "ErrorBody": {
    "type": "object", "required": ["error"],
    "properties": {
      "error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
          "code": {"type": "string", "description": "Stable and machine-readable: bad_request, unauthorized, forbidden, not_found, no_current_batch, cursor_paused, cursor_halted, cursor_aborted, cursor_done, no_batch_free, cursor_exists, pool_in_use, batch_completed, batch_not_leased, not_holder, payload_too_large, invalid_request, invalid_inventory, not_ready, store_unavailable, method_not_allowed, internal.", "example": "cursor_paused"},
          "message": {"type": "string", "description": "What went wrong and what to do, for people.", "example": "cursor web is paused: paused by an operator; resume it with `batch-source cursor resume web`"},
          "retry_after_seconds": {"type": "integer", "minimum": 1, "description": "Seconds after which asking again may succeed (no_batch_free, not_ready, store_unavailable); also sent as Retry-After."}
        }
      }
    }
  },
  "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "ready"]}}},
  "PoolInfo": {
    "type": "object", "required": ["name", "revision", "host_count", "group_count", "format", "created_at", "updated_at"],
    "properties": {
      "name": {"type": "string"},
      "revision": {"type": "integer", "minimum": 1, "description": "The current revision; every import makes a new one."},
      "host_count": {"type": "integer", "minimum": 0},
      "group_count": {"type": "integer", "minimum": 0},
      "format": {"$ref": "#/components/schemas/InventoryFormat"},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}
    }
  },
  "PoolHost": {
    "type": "object", "required": ["name", "groups", "vars"],
    "properties": {
      "name": {"type": "string"},
      "groups": {"type": "array", "items": {"type": "string"}, "description": "The host's direct groups."},
      "vars": {"$ref": "#/components/schemas/JSONObject"}
    }
  },
  "CursorHost": {
    "type": "object", "required": ["name", "position"],
    "properties": {
      "name": {"type": "string"},
      "position": {"type": "integer", "minimum": 0, "description": "Its position in the cursor's plan, from 0."},
      "batch_id": {"type": "integer", "minimum": 1, "description": "Absent while the host is in no batch yet."},
      "status": {"$ref": "#/components/schemas/HostStatus"}
    }
  },
  "ScriptGroup": {
    "type": "object",
    "properties": {
      "hosts": {"type": "array", "items": {"type": "string"}},
      "children": {"type": "array", "items": {"type": "string"}},
      "vars": {"$ref": "#/components/schemas/JSONObject"}
    }
  },
  "ScriptInventory": {
    "type": "object", "required": ["_meta"],
    "description": "Ansible inventory-script JSON, as ansible-inventory --list [--export] prints it: dict-form groups reached from all, empty keys left out, _meta.hostvars always present.",
    "properties": {
      "_meta": {"type": "object", "required": ["hostvars"],
        "properties": {"hostvars": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JSONObject"}}}}
    },
    "additionalProperties": {"$ref": "#/components/schemas/ScriptGroup"}
  },
  "CursorSettings": {
    "type": "object", "required": ["pool", "batch_size"],
    "properties": {
      "pool": {"type": "string", "description": "The pool whose current revision the cursor pins."},
      "limit": {"type": "string", "description": "An Ansible --limit pattern (a:b, a:&b, a:!b, *, ~regex, group[0:9]); absent for all hosts.", "example": "webservers:!canary"},
      "order": {"allOf": [{"$ref": "#/components/schemas/HostOrder"}], "default": "inventory"},
      "seed": {"type": "string", "description": "The seed of the shuffle order; required with shuffle."},
      "batch_size": {"$ref": "#/components/schemas/BatchSize"},
      "lease_seconds": {"type": "integer", "minimum": 1, "default": 3600, "description": "How long a claim holds its batch before it is handed out again; heartbeat extends it."},
      "max_in_flight": {"type": "integer", "minimum": 1, "default": 1, "description": "How many batches may be out at once; 1 hands them out strictly one after another."},
      "ack": {"allOf": [{"$ref": "#/components/schemas/AckMode"}], "default": "explicit"},
      "max_fail_percentage": {"type": "number", "minimum": 0, "maximum": 100, "description": "Halt when a batch's failed and unreachable hosts exceed this share, as Ansible's max_fail_percentage (0 halts on the first failure)."},
      "max_failed_hosts": {"type": "integer", "minimum": 0, "description": "Halt when the rollout's failed and unreachable hosts exceed this count."},
      "pause_after": {"type": "array", "items": {"type": "integer", "minimum": 1}, "default": [], "description": "Pause after these batch numbers complete, e.g. [1] for a canary."}
    }
  },
  "CursorCreateRequest": {
    "description": "A new cursor: its name beside its settings, flat.",
    "allOf": [
      {"$ref": "#/components/schemas/CursorSettings"},
      {"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$"}}}
    ],
    "example": {"name": "patch-2024-06", "pool": "fleet", "batch_size": [1, "10%"], "max_fail_percentage": 0, "pause_after": [1]}
  },
  "CursorPatch": {
    "type": "object", "additionalProperties": false,
    "description": "A JSON Merge Patch (RFC 7396) of a cursor. state pauses (paused), resumes (active) or aborts (aborted). The other fields shape only batches not handed out yet; null removes a setting, so it falls back to its default. pool, limit, order and seed are fixed when a cursor is made (422).",
    "properties": {
      "state": {"type": "string", "enum": ["active", "paused", "aborted"]},
      "state_reason": {"type": "string", "maxLength": 500, "description": "With state paused or aborted: the operator's reason, kept in the cursor's state_reason after the service's own words."},
      "batch_size": {"$ref": "#/components/schemas/BatchSize"},
      "lease_seconds": {"type": "integer", "minimum": 1, "nullable": true},
      "max_in_flight": {"type": "integer", "minimum": 1, "nullable": true},
      "ack": {"type": "string", "enum": ["explicit", "auto"], "nullable": true},
      "max_fail_percentage": {"type": "number", "minimum": 0, "maximum": 100, "nullable": true},
      "max_failed_hosts": {"type": "integer", "minimum": 0, "nullable": true},
      "pause_after": {"type": "array", "items": {"type": "integer", "minimum": 1}, "nullable": true}
    },
    "example": {"state": "active", "max_in_flight": 4}
  },
  "RetryRequest": {
    "type": "object", "required": ["name"],
    "description": "A new cursor over the failed and unreachable hosts of an old one, on the same pool revision. Unset settings are taken from the old cursor.",
    "properties": {
      "name": {"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$"},
      "batch_size": {"$ref": "#/components/schemas/BatchSize"},
      "order": {"$ref": "#/components/schemas/HostOrder"}
    }
  },
  "CursorProgress": {
    "type": "object",
    "required": ["total_hosts", "hosts_done", "hosts_ok", "hosts_changed", "hosts_failed", "hosts_unreachable", "hosts_skipped", "batches_total", "batches_completed", "batches_in_flight"],
    "properties": {
      "total_hosts": {"type": "integer", "minimum": 0},
      "hosts_done": {"type": "integer", "minimum": 0, "description": "Hosts in completed batches."},
      "hosts_ok": {"type": "integer", "minimum": 0},
      "hosts_changed": {"type": "integer", "minimum": 0},
      "hosts_failed": {"type": "integer", "minimum": 0},
      "hosts_unreachable": {"type": "integer", "minimum": 0},
      "hosts_skipped": {"type": "integer", "minimum": 0},
      "batches_total": {"type": "integer", "minimum": 0},
      "batches_completed": {"type": "integer", "minimum": 0},
      "batches_in_flight": {"type": "integer", "minimum": 0}
    }
  },
  "CursorInfo": {
    "description": "A cursor: its settings, flat as they were given, beside its state and progress.",
    "allOf": [
      {"$ref": "#/components/schemas/CursorSettings"},
      {"type": "object",
        "required": ["name", "pool_revision", "order", "lease_seconds", "max_in_flight", "ack", "pause_after", "state", "has_more", "progress", "created_at", "updated_at"],
        "properties": {
          "name": {"type": "string"},
          "pool_revision": {"type": "integer", "minimum": 1, "description": "The pool revision pinned when the cursor was made."},
          "state": {"$ref": "#/components/schemas/CursorState"},
          "state_reason": {"type": "string", "description": "Why the cursor is paused, halted or aborted, for people."},
          "retry_of": {"type": "string", "description": "The cursor this one retries."},
          "has_more": {"type": "boolean", "description": "True while any host of the cursor is in no completed batch."},
          "progress": {"$ref": "#/components/schemas/CursorProgress"},
          "created_at": {"type": "string", "format": "date-time"},
          "updated_at": {"type": "string", "format": "date-time"}
        }}
    ]
  },
  "ClaimRequest": {
    "type": "object", "required": ["consumer"],
    "properties": {
      "consumer": {"type": "string", "minLength": 1, "description": "Who holds the batch: an AWX inventory source, a laptop (user@host), a pipeline.", "example": "awx-source-42"},
      "claim_key": {"type": "string", "description": "One attempt of that consumer (an AWX inventory update id): the same key returns the same batch, whatever happened since.", "example": "update-9001"}
    }
  },
  "BatchGroup": {
    "type": "object", "required": ["hosts", "children", "vars"],
    "description": "A group as a batch shows it: only the batch's hosts, and only the child groups that lead to them.",
    "properties": {
      "hosts": {"type": "array", "items": {"type": "string"}},
      "children": {"type": "array", "items": {"type": "string"}},
      "vars": {"$ref": "#/components/schemas/JSONObject"}
    }
  },
  "BatchInfo": {
    "type": "object", "required": ["batch_id", "state", "attempt", "hosts"],
    "properties": {
      "batch_id": {"type": "integer", "minimum": 1, "description": "The batch number, from 1 (the seed API's batch_id)."},
      "state": {"$ref": "#/components/schemas/BatchState"},
      "attempt": {"type": "integer", "minimum": 0, "description": "Which hand-out of this batch this is, from 1; more after expiries or releases."},
      "consumer": {"type": "string"},
      "claim_key": {"type": "string"},
      "lease_expires_at": {"type": "string", "format": "date-time", "description": "When the lease ends unless it is extended."},
      "external_ref": {"type": "string", "description": "Set by the holder on its attempt, e.g. an AWX job id."},
      "hosts": {"type": "array", "items": {"type": "string"}, "description": "The batch's hosts, in hand-out order."},
      "hostvars": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JSONObject"}, "description": "Each batch host's own vars (hosts without vars left out). Sent with claims."},
      "groups": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/BatchGroup"}, "description": "The groups of the batch's hosts, parents up to all included, with their vars. Sent with claims."},
      "results": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/HostStatus"}, "description": "Per-host results once completed."},
      "completed_at": {"type": "string", "format": "date-time"}
    }
  },
  "ClaimResponse": {
    "type": "object", "required": ["cursor", "cursor_state", "has_more", "progress"],
    "properties": {
      "cursor": {"type": "string"},
      "cursor_state": {"$ref": "#/components/schemas/CursorState"},
      "has_more": {"type": "boolean", "description": "True while any host of the cursor is in no completed batch."},
      "batch": {"allOf": [{"$ref": "#/components/schemas/BatchInfo"}], "nullable": true, "description": "Absent (or null) only when the rollout is done."},
      "progress": {"$ref": "#/components/schemas/CursorProgress"}
    }
  },
  "HostSummary": {
    "type": "object",
    "description": "AWX's per-host counters (/api/v2/jobs/N/job_host_summaries/); missing counters are 0. dark > 0 is unreachable, else failures > 0 failed, else changed > 0 changed, else only skips skipped, else ok.",
    "properties": {
      "ok": {"type": "integer", "minimum": 0, "default": 0},
      "changed": {"type": "integer", "minimum": 0, "default": 0},
      "failures": {"type": "integer", "minimum": 0, "default": 0},
      "dark": {"type": "integer", "minimum": 0, "default": 0},
      "skipped": {"type": "integer", "minimum": 0, "default": 0}
    }
  },
  "CompleteRequest": {
    "type": "object",
    "description": "Per-host results; hosts not named count as ok (an empty body completes the batch as all ok). results win over host_summaries for the same host.",
    "properties": {
      "results": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/HostStatus"}, "default": {}},
      "host_summaries": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/HostSummary"}},
      "claim_key": {"type": "string", "description": "The attempt being completed, when the completer wants to be sure it still holds it."}
    },
    "example": {"results": {"web01": "changed", "web02": "failed"}}
  },
  "LeaseRequest": {
    "type": "object",
    "description": "Which attempt the caller holds. When consumer or claim_key is given, it must match the current attempt (409 not_holder).",
    "properties": {
      "consumer": {"type": "string"},
      "claim_key": {"type": "string"},
      "lease_seconds": {"type": "integer", "minimum": 1, "description": "Heartbeat: the new lease length from now; the cursor's lease_seconds when unset."},
      "external_ref": {"type": "string", "description": "An opaque reference recorded on the attempt (e.g. an AWX job id)."}
    }
  },
  "NextBatchResponse": {
    "type": "object", "required": ["batch_id", "hosts", "has_more"],
    "properties": {
      "batch_id": {"type": "integer", "minimum": 1},
      "hosts": {"type": "array", "items": {"type": "string"}},
      "has_more": {"type": "boolean"}
    },
    "example": {"batch_id": 3, "hosts": ["srv101", "srv102"], "has_more": true}
  },
  "PoolInfoPage": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/PoolInfo"}},
    "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1}, "offset": {"type": "integer", "minimum": 0}}},
  "PoolHostPage": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/PoolHost"}},
    "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1}, "offset": {"type": "integer", "minimum": 0}}},
  "CursorInfoPage": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/CursorInfo"}},
    "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1}, "offset": {"type": "integer", "minimum": 0}}},
  "BatchInfoPage": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/BatchInfo"}},
    "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1}, "offset": {"type": "integer", "minimum": 0}}},
  "CursorHostPage": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/CursorHost"}},
    "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 1}, "offset": {"type": "integer", "minimum": 0}}}
}
"""#
}
