import InventoryModel

/// Judges a Prometheus instant query's answer (`GET /api/v1/query`), alert-style: healthy
/// when it returns no series, unhealthy when it returns any, as an alerting rule fires on
/// every series its expression returns. The series are the evidence.
///
/// The answer's documented shape: `{"status":"success","data":{"resultType":"vector",
/// "result":[{"metric":{…},"value":[ts,"v"]}]}}`, a `matrix` with `"values":[[ts,"v"],…]`,
/// a `scalar` or `string` as `[ts,"v"]`, and `{"status":"error","errorType":…,"error":…}`
/// (HTTP 400, 422 or 503).
enum PrometheusVerdict {
    /// How many series the evidence lists before `and N more`.
    static let seriesShown = 10

    static func judge(status: Int, body: [UInt8], truncated: Bool) -> GateOutcome {
        if truncated {
            // Only a large result is this long; not reading it, we cannot call it healthy.
            return .unhealthy(
                "HTTP \(status); prometheus answer larger than \(GateChecker.bodyLimit / 1_048_576) MiB (the query returns too much to read)"
            )
        }
        guard let answer = try? JSONParser.parse(bytes: body), let object = answer.objectValue,
            let outcome = object["status"]?.stringValue
        else {
            return .unhealthy(
                "HTTP \(status); not an answer of the Prometheus API; body: \(GateOutcome.bodyExcerpt(body))")
        }
        if outcome == "error" {
            let type = object["errorType"]?.stringValue ?? "unknown"
            let message = object["error"]?.stringValue ?? "(no message)"
            return .unhealthy("prometheus error \(type): \(message)")
        }
        guard outcome == "success", (200..<300).contains(status), let data = object["data"]?.objectValue,
            let resultType = data["resultType"]?.stringValue, let result = data["result"]
        else {
            return .unhealthy(
                "HTTP \(status); not an answer of the Prometheus API; body: \(GateOutcome.bodyExcerpt(body))")
        }
        switch resultType {
        case "vector", "matrix":
            guard let series = result.arrayValue else {
                return .unhealthy("prometheus answered a \(resultType) that is not a list of series")
            }
            return series.isEmpty ? .healthy("no series") : .unhealthy(describe(series, matrix: resultType == "matrix"))
        default:
            // `scalar` and `string` are always one value: no alert-style reading of them, so
            // the gate can never pass and says why (fail closed, as a gate must).
            let shown = result.arrayValue.flatMap { $0.count == 2 ? $0[1].stringValue : nil } ?? "?"
            return .unhealthy(
                "query returns a \(resultType) (\(shown)), not series: a gate's query must return an instant vector (healthy when empty), e.g. errors > 0"
            )
        }
    }

    /// `2 series: {__name__="up", job="node"} 0; {…} 0`, at most ``seriesShown`` listed.
    static func describe(_ series: [JSONValue], matrix: Bool) -> String {
        let listed = series.prefix(seriesShown).map { item -> String in
            let object = item.objectValue ?? [:]
            let labels = object["metric"]?.objectValue ?? [:]
            // A matrix has many samples per series; the newest says most about now.
            let sample = matrix ? object["values"]?.arrayValue?.last : object["value"]
            let value = sample?.arrayValue.flatMap { $0.count == 2 ? $0[1].stringValue : nil } ?? "?"
            return "\(labelSet(labels)) \(value)"
        }
        var text = "\(series.count) series: " + listed.joined(separator: "; ")
        if series.count > seriesShown { text += "; and \(series.count - seriesShown) more" }
        return text
    }

    /// Labels as PromQL writes them, `__name__` first and the rest by name:
    /// `{__name__="up", instance="db1:9100", job="node"}`.
    static func labelSet(_ labels: JSONObject) -> String {
        let names = labels.keys.sorted { a, b in
            a == "__name__" ? b != "__name__" : (b == "__name__" ? false : a < b)
        }
        let pairs = names.map { name in "\(name)=\"\(escape(labels[name]?.stringValue ?? ""))\"" }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
