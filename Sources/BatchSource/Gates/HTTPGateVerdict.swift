import InventoryModel

/// Judges an `http` gate's answer: healthy on 2xx, and when the gate names a `json_field`,
/// when that field of the JSON body equals the gate's `equals`. Kept apart from the transport
/// so the rules can be read (and tested) without a server.
enum HTTPGateVerdict {
    /// The outcome for an answer of `status` with `body` (`truncated`: the body was longer
    /// than the checker reads).
    static func judge(_ gate: GateSpec, status: Int, body: [UInt8], truncated: Bool) -> GateOutcome {
        if (300..<400).contains(status) {
            // Following a redirect would let a listed host send the service to any other.
            return .unhealthy("HTTP \(status) (redirects are not followed)")
        }
        guard (200..<300).contains(status) else {
            return .unhealthy("HTTP \(status); body: \(GateOutcome.bodyExcerpt(body, truncated: truncated))")
        }
        guard let field = gate.jsonField, let wanted = gate.equals else { return .healthy("HTTP \(status)") }
        if truncated {
            return .unhealthy(
                "HTTP \(status); body is larger than \(GateChecker.bodyLimit / 1_048_576) MiB, so json field \(field) was not read"
            )
        }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes: body) } catch {
            return .unhealthy(
                "HTTP \(status); body is not JSON (\(error.description)); body: \(GateOutcome.bodyExcerpt(body))")
        }
        guard let found = value(at: field, in: document) else {
            return .unhealthy("json field \(field) is missing; body: \(GateOutcome.bodyExcerpt(body))")
        }
        if same(found, wanted) { return .healthy("HTTP \(status); json field \(field) is \(render(found))") }
        return .unhealthy("json field \(field) is \(render(found)), wanted \(render(wanted))")
    }

    /// The value at a dot path: object keys by name, array items by index (`checks.0.ok`).
    static func value(at field: String, in document: JSONValue) -> JSONValue? {
        guard let parts = GateSpec.pathComponents(field) else { return nil }
        var current = document
        for part in parts {
            switch current {
            case .object(let object):
                guard let next = object[String(part)] else { return nil }
                current = next
            case .array(let array):
                guard let i = Int(part), array.indices.contains(i) else { return nil }
                current = array[i]
            default:
                return nil
            }
        }
        return current
    }

    /// JSON equality as people mean it: numbers by value (`1` is `1.0`), objects whatever
    /// their key order.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return a == b
        }
    }

    /// A value as compact JSON for evidence, cut to the body excerpt's length.
    static func render(_ value: JSONValue) -> String {
        GateOutcome.oneLine(JSONWriter(indent: nil, sortKeys: false).string(value), limit: GateOutcome.bodyExcerptLimit)
    }
}
