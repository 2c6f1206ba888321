import Foundation
import HTTPTypes
import Hummingbird
import InventoryModel
import Synchronization

/// The hottest answers (claims, cursors) written straight as JSON values through the project's
/// own writer instead of Foundation's JSONEncoder, which was a sixth of a claim's CPU. The
/// keys and omissions are those of the types' Codable forms; `WireJSONValuesTests` checks that
/// both decode to the same value.
protocol WireJSONValue {
    var wireJSON: JSONValue { get }
}

extension HTTPJSON {
    /// Writes a value: through `wireJSON` when it has one, else through Codable.
    static func fast(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let direct = value as? any WireJSONValue else { return try response(value, status: status) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        JSONWriter(indent: nil, sortKeys: true).write(direct.wireJSON, into: &bytes)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPJSON {
    /// A claim answer. The batch's inventory is already encoded (``BatchInventory``): its bytes
    /// are copied into the batch object, which is far cheaper than building and writing a
    /// value tree of thousands of hosts on every re-read.
    static func claim(_ answer: ClaimAnswer) -> Response {
        let writer = JSONWriter(indent: nil, sortKeys: true)
        var outer = answer.response
        let batch = outer.batch
        outer.batch = nil
        var rest: [UInt8] = []
        writer.write(outer.wireJSON, into: &rest)
        var body = ByteBuffer()
        if let batch {
            var head: [UInt8] = []
            if let inventory = answer.inventory, case .object(var o) = batch.wireJSON {
                o["hosts"] = nil
                writer.write(.object(o), into: &head)
                head.removeLast()  // its closing brace: the inventory's members follow
                head.append(contentsOf: ", ".utf8)
                body.reserveCapacity(rest.count + head.count + inventory.members.count + 16)
                body.writeString(#"{"batch": "#)
                body.writeBytes(head)
                body.writeBytes(inventory.members)
                body.writeString("}, ")
            } else {
                writer.write(batch.wireJSON, into: &head)
                body.writeString(#"{"batch": "#)
                body.writeBytes(head)
                body.writeString(", ")
            }
            body.writeBytes(rest.dropFirst())
        } else {
            body.writeBytes(rest)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

private func optional(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }

extension JSONObject {
    fileprivate mutating func put(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}

extension ClaimResponse: WireJSONValue {
    var wireJSON: JSONValue {
        var o: JSONObject = ["cursor": .string(cursor), "cursor_state": .string(cursorState.rawValue), "has_more": .bool(hasMore),
                             "progress": progress.wireJSON]
        o.put("batch", batch?.wireJSON)
        return .object(o)
    }
}

extension BatchInfo: WireJSONValue {
    var wireJSON: JSONValue {
        var o: JSONObject = ["batch_id": .int(batchId), "state": .string(state.rawValue), "attempt": .int(attempt),
                             "hosts": .array(hosts.map(JSONValue.string))]
        o.put("consumer", optional(consumer))
        o.put("claim_key", optional(claimKey))
        o.put("lease_expires_at", optional(leaseExpiresAt))
        o.put("external_ref", optional(externalRef))
        o.put("completed_at", optional(completedAt))
        if let hostvars { o["hostvars"] = .object(JSONObject(uniqueKeysWithValues: hostvars.map { ($0.key, JSONValue.object($0.value)) })) }
        if let groups { o["groups"] = .object(JSONObject(uniqueKeysWithValues: groups.map { ($0.key, $0.value.wireJSON) })) }
        if let results { o["results"] = .object(JSONObject(uniqueKeysWithValues: results.map { ($0.key, JSONValue.string($0.value.rawValue)) })) }
        return .object(o)
    }
}

extension BatchGroup: WireJSONValue {
    var wireJSON: JSONValue {
        .object(["hosts": .array(hosts.map(JSONValue.string)), "children": .array(children.map(JSONValue.string)), "vars": .object(vars)])
    }
}

extension CursorProgress: WireJSONValue {
    var wireJSON: JSONValue {
        .object([
            "total_hosts": .int(totalHosts), "hosts_done": .int(hostsDone), "hosts_ok": .int(hostsOk), "hosts_changed": .int(hostsChanged),
            "hosts_failed": .int(hostsFailed), "hosts_unreachable": .int(hostsUnreachable), "hosts_skipped": .int(hostsSkipped),
            "batches_total": .int(batchesTotal), "batches_completed": .int(batchesCompleted), "batches_in_flight": .int(batchesInFlight),
        ])
    }
}

extension CursorInfo: WireJSONValue {
    var wireJSON: JSONValue {
        var o = SettingsJSON.object(settings)
        o["name"] = .string(name)
        o["pool_revision"] = .int(poolRevision)
        o["state"] = .string(state.rawValue)
        o.put("state_reason", optional(stateReason))
        o.put("retry_of", optional(retryOf))
        o["has_more"] = .bool(hasMore)
        o["progress"] = progress.wireJSON
        o["created_at"] = .string(createdAt)
        o["updated_at"] = .string(updatedAt)
        return .object(o)
    }
}

/// Cursor settings as JSON, encoded once per distinct settings (they rarely change).
enum SettingsJSON {
    private static let cache = Mutex<[CursorSettings: JSONObject]>([:])

    static func object(_ settings: CursorSettings) -> JSONObject {
        if let hit = cache.withLock({ $0[settings] }) { return hit }
        var object: JSONObject = [:]
        if let text = try? Wire.encodeString(settings), case .object(let o) = try? JSONParser.parse(text) { object = o }
        cache.withLock { c in
            if c.count >= 4096 { c.removeAll(keepingCapacity: true) }
            c[settings] = object
        }
        return object
    }
}
