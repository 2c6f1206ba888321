extension OpenAPIDocument {
    /// `/api/v1/pools`: import, list, show, delete, hosts and the inventory of a revision.
    static let poolPaths = #"""
{
  "/api/v1/pools": {
    "get": {
      "operationId": "listPools", "tags": ["pools"], "summary": "List pools",
      "x-required-scope": "read",
      "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
      "responses": {
        "200": {"description": "A page of pools, by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PoolInfoPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/pools/{pool}": {
    "parameters": [{"$ref": "#/components/parameters/Pool"}],
    "put": {
      "operationId": "importPool", "tags": ["pools"], "summary": "Import an inventory as the pool's new revision",
      "description": "Creates the pool (201) or adds a new immutable revision to it (200). Cursors keep the revision they pinned, so an import never shifts a running rollout. The body is any inventory Ansible reads: inventory-script JSON (what ansible-inventory --list [--export] prints, so cloud-plugin inventories too), a YAML inventory or an INI inventory, with host ranges. The format comes from ?format=, else from Content-Type (application/json; application/yaml, application/x-yaml, text/yaml; text/x-ini, text/ini), else it is detected from the content (text/plain: JSON when it starts with {, YAML with --- or a mapping, else INI), with ?source= as a file-name hint (.ini, .yml, .yaml).",
      "x-required-scope": "admin",
      "parameters": [
        {"name": "format", "in": "query", "description": "The inventory's format; wins over Content-Type.", "schema": {"$ref": "#/components/schemas/InventoryFormat"}},
        {"name": "source", "in": "query", "description": "The inventory's file name, a hint for format detection and named in error messages.", "schema": {"type": "string"}, "example": "hosts.ini"}
      ],
      "requestBody": {
        "required": true,
        "content": {
          "application/json": {"schema": {"$ref": "#/components/schemas/ScriptInventory"}},
          "application/yaml": {"schema": {"type": "string"}, "example": "all:\n  children:\n    web:\n      hosts:\n        web[01:20].example.com:\n"},
          "text/plain": {"schema": {"type": "string"}, "example": "[web]\nweb[01:20].example.com\n\n[web:vars]\nhttp_port=8080\n"}
        }
      },
      "responses": {
        "200": {"description": "A new revision of an existing pool.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PoolInfo"}}}},
        "201": {"description": "A new pool, at revision 1.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PoolInfo"}}}},
        "400": {"description": "bad_request: an empty body, a body that is not UTF-8, or an unknown ?format=.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "413": {"$ref": "#/components/responses/PayloadTooLarge"},
        "422": {"description": "invalid_inventory: the inventory does not parse in its format (the message has the line and what is wrong). invalid_request: a bad pool name (1-200 letters, digits, '-', '_' or '.', not starting with '.') or an inventory without hosts.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    },
    "get": {
      "operationId": "getPool", "tags": ["pools"], "summary": "Show a pool",
      "x-required-scope": "read",
      "responses": {
        "200": {"description": "The pool and its current revision.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PoolInfo"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    },
    "delete": {
      "operationId": "deletePool", "tags": ["pools"], "summary": "Delete a pool",
      "description": "Deletes the pool, all its revisions and its finished (done or aborted) cursors. Refused while an unfinished cursor uses it.",
      "x-required-scope": "admin",
      "responses": {
        "204": {"description": "Deleted."},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "409": {"description": "pool_in_use: unfinished cursors (named in the message) use the pool; abort them or let them finish.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/pools/{pool}/hosts": {
    "parameters": [{"$ref": "#/components/parameters/Pool"}],
    "get": {
      "operationId": "listPoolHosts", "tags": ["pools"], "summary": "List the hosts of the pool's current revision",
      "x-required-scope": "read",
      "parameters": [
        {"name": "pattern", "in": "query", "description": "An Ansible --limit host pattern (a:b, a,b, a:&b, a:!b, * globs, ~regex, group[0:9]); all hosts when absent or empty.", "schema": {"type": "string"}, "example": "web:&eu"},
        {"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}
      ],
      "responses": {
        "200": {"description": "A page of hosts, in inventory order.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PoolHostPage"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "422": {"description": "invalid_request: the pattern does not parse.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  },
  "/api/v1/pools/{pool}/inventory": {
    "parameters": [{"$ref": "#/components/parameters/Pool"}],
    "get": {
      "operationId": "getPoolInventory", "tags": ["pools"], "summary": "The whole pool as inventory-script JSON",
      "description": "The pool revision as ansible-inventory --list prints it: group vars folded into each host's vars; with export=true as --list --export prints it: group vars stay on the groups.",
      "x-required-scope": "read",
      "parameters": [
        {"name": "revision", "in": "query", "description": "The revision; the current one when absent.", "schema": {"type": "integer", "minimum": 1}},
        {"name": "export", "in": "query", "description": "As ansible-inventory --export.", "schema": {"type": "boolean", "default": false}}
      ],
      "responses": {
        "200": {"description": "The inventory.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScriptInventory"}}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "not_found: no such pool or revision.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
        "503": {"$ref": "#/components/responses/StoreUnavailable"}
      }
    }
  }
}
"""#
}
