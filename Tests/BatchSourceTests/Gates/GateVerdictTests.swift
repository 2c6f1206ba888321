import InventoryModel
import Testing

@testable import BatchSource

@Suite("Gate verdicts: judging answers without a server")
struct GateVerdictTests {
    func prometheus(_ json: String, status: Int = 200) -> GateOutcome {
        PrometheusVerdict.judge(status: status, body: Array(json.utf8), truncated: false)
    }

    @Test("Series are listed with __name__ first and labels by name, at most ten, then how many more")
    func manySeries() {
        let items = (1...12).map { i in
            #"{"metric":{"job":"node","__name__":"up","instance":"db\#(i):9100"},"value":[1.5,"0"]}"#
        }
        let outcome = prometheus(
            #"{"status":"success","data":{"resultType":"vector","result":[\#(items.joined(separator: ","))]}}"#)
        #expect(!outcome.healthy)
        #expect(
            outcome.evidence.hasPrefix(
                #"12 series: {__name__="up", instance="db1:9100", job="node"} 0; {__name__="up", instance="db2:9100", job="node"} 0; "#
            ))
        #expect(outcome.evidence.hasSuffix(#"{__name__="up", instance="db10:9100", job="node"} 0; and 2 more"#))
    }

    @Test("Label values are escaped as PromQL writes them")
    func escaping() {
        let outcome = prometheus(
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"path":"a\"b\\c\nd"},"value":[1,"7"]}]}}"#
        )
        #expect(outcome.evidence == #"1 series: {path="a\"b\\c\nd"} 7"#)
    }

    @Test("Errors, junk and odd result types are unhealthy and say what came back")
    func errors() {
        #expect(
            prometheus(#"{"status":"error","errorType":"timeout","error":"query timed out"}"#, status: 503)
                == GateOutcome(healthy: false, evidence: "prometheus error timeout: query timed out"))
        #expect(
            prometheus("<html>proxy error</html>", status: 502)
                == GateOutcome(
                    healthy: false,
                    evidence: "HTTP 502; not an answer of the Prometheus API; body: <html>proxy error</html>"))
        #expect(
            prometheus(#"{"status":"success","data":{"resultType":"string","result":[1,"hello"]}}"#).evidence
                .hasPrefix("query returns a string (hello), not series"))
        #expect(prometheus(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#).healthy)
        #expect(
            !PrometheusVerdict.judge(status: 200, body: [], truncated: true).healthy,
            "an answer too long to read is never healthy")
    }

    @Test("Evidence is one line and at most 2000 characters")
    func evidenceCap() {
        let outcome = GateOutcome.unhealthy("a\n\tb  c" + String(repeating: "x", count: 5_000))
        #expect(outcome.evidence.count == 2_000)
        #expect(outcome.evidence.hasPrefix("a b cxxx"))
        #expect(outcome.evidence.hasSuffix("..."))
        #expect(GateOutcome.bodyExcerpt([UInt8]()) == "(empty)")
        #expect(GateOutcome.bodyExcerpt(Array("ok".utf8), truncated: true) == "ok...")
        #expect(GateOutcome.bodyExcerpt([0xFF, 0x41]) == "\u{FFFD}A", "a body need not be UTF-8")
    }

    @Test("JSON values compare by value: numbers across int and float, objects in any key order")
    func jsonEquality() throws {
        let a = try JSONParser.parse(#"{"x": 1, "y": [true, {"z": null}]}"#)
        let b = try JSONParser.parse(#"{"y": [true, {"z": null}], "x": 1.0}"#)
        #expect(HTTPGateVerdict.same(a, b))
        #expect(!HTTPGateVerdict.same(.int(1), .string("1")))
        #expect(!HTTPGateVerdict.same(.array([1]), .array([1, 2])))
        #expect(HTTPGateVerdict.value(at: "y.1.z", in: a) == .null)
        #expect(HTTPGateVerdict.value(at: "y.2", in: a) == nil)
        #expect(HTTPGateVerdict.value(at: "x.q", in: a) == nil)
    }

    @Test("An http status outside 2xx and 3xx quotes the body; 2xx without json_field ignores it")
    func httpStatuses() {
        let gate = GateSpec(name: "h", type: .http, url: "http://h/")
        #expect(
            HTTPGateVerdict.judge(gate, status: 500, body: [], truncated: false)
                == GateOutcome(healthy: false, evidence: "HTTP 500; body: (empty)"))
        #expect(HTTPGateVerdict.judge(gate, status: 204, body: [], truncated: true).healthy)
        #expect(
            HTTPGateVerdict.judge(gate, status: 301, body: Array("moved".utf8), truncated: false)
                == GateOutcome(healthy: false, evidence: "HTTP 301 (redirects are not followed)"))
    }
}
