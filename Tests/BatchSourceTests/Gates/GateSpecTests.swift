import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Gate spec: the wire form of a cursor's health gate")
struct GateSpecTests {
    func decode(_ json: String) throws -> GateSpec { try Wire.decoder.decode(GateSpec.self, from: Data(json.utf8)) }

    /// The problem of a gate decoded from `json` (which must decode).
    func problem(_ json: String) throws -> String? { try decode(json).problem }

    @Test("Both kinds decode with their defaults and encode back in the same keys")
    func roundTrip() throws {
        let prom = try decode(
            #"{"name": "db-errors", "type": "prometheus", "url": "http://127.0.0.1:9090", "query": "errors > 0"}"#)
        #expect(
            prom == GateSpec(name: "db-errors", type: .prometheus, url: "http://127.0.0.1:9090", query: "errors > 0"))
        #expect(prom.intervalSeconds == 30 && prom.timeoutSeconds == 600)
        #expect(prom.problem == nil)

        let http = try decode(
            #"{"name": "lb", "type": "http", "url": "https://lb.example.com/health", "json_field": "status.healthy", "equals": true, "interval_seconds": 5, "timeout_seconds": 60}"#
        )
        #expect(http.jsonField == "status.healthy" && http.equals == .bool(true))
        #expect(http.problem == nil)
        let text = try Wire.encodeString(http)
        #expect(
            text
                == #"{"equals":true,"interval_seconds":5,"json_field":"status.healthy","name":"lb","timeout_seconds":60,"type":"http","url":"https://lb.example.com/health"}"#
        )
        #expect(try decode(text) == http)
    }

    @Test("equals may be null, and stays null through a round trip")
    func equalsNull() throws {
        let gate = try decode(
            #"{"name": "n", "type": "http", "url": "http://h/", "json_field": "error", "equals": null}"#)
        #expect(gate.equals == .null)
        #expect(gate.problem == nil)
        #expect(try decode(try Wire.encodeString(gate)).equals == .null)
    }

    @Test("Unknown fields and unknown types are decoding errors")
    func unknownFields() throws {
        #expect(throws: DecodingError.self) {
            try decode(#"{"name": "a", "type": "http", "url": "http://h/", "headers": {"X": "y"}}"#)
        }
        #expect(throws: DecodingError.self) { try decode(#"{"name": "a", "type": "tcp", "url": "http://h/"}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"name": "a", "type": "http"}"#) }
        #expect(throws: DecodingError.self) {
            try decode(#"{"name": "a", "type": "http", "url": "http://h/", "interval_seconds": "5"}"#)
        }
    }

    @Test("query is required for prometheus and refused for http; json_field and equals are http's, together")
    func crossFieldRules() throws {
        #expect(
            try problem(#"{"name": "p", "type": "prometheus", "url": "http://p:9090"}"#)
                == "query is required for a prometheus gate (a PromQL instant query)")
        #expect(
            try problem(#"{"name": "p", "type": "prometheus", "url": "http://p:9090", "query": "  "}"#)
                == "query must not be blank")
        #expect(
            try problem(#"{"name": "h", "type": "http", "url": "http://h/", "query": "up"}"#)
                == "query is for prometheus gates only")
        #expect(
            try problem(
                #"{"name": "p", "type": "prometheus", "url": "http://p:9090", "query": "up", "json_field": "a", "equals": 1}"#
            )
                == "json_field is for http gates only")
        #expect(
            try problem(#"{"name": "h", "type": "http", "url": "http://h/", "json_field": "a"}"#)
                == "json_field needs equals (the value the field must have)")
        #expect(
            try problem(#"{"name": "h", "type": "http", "url": "http://h/", "equals": 1}"#)
                == "equals needs json_field (the field of the body that must have this value)")
        #expect(
            try problem(#"{"name": "h", "type": "http", "url": "http://h/", "json_field": "a..b", "equals": 1}"#)?
                .hasPrefix("json_field must be a dot path") == true)
        #expect(
            try problem(#"{"name": "p", "type": "prometheus", "url": "http://p:9090/?x=1", "query": "up"}"#)?
                .hasPrefix("url of a prometheus gate is the server's base URL") == true)
    }

    @Test("A URL with a user name or password is refused without repeating it")
    func userInfo() throws {
        let p = try #require(
            try problem(#"{"name": "h", "type": "http", "url": "https://bob:s3cret@health.example.com/"}"#))
        #expect(p.hasPrefix("url must not hold a user name or password"))
        #expect(!p.contains("s3cret") && !p.contains("bob"))
        #expect(try problem(#"{"name": "h", "type": "http", "url": "https://token@health.example.com/"}"#) != nil)
        #expect(try problem(#"{"name": "h", "type": "http", "url": "https://health.example.com/a@b"}"#) == nil)
    }

    @Test("URLs: http or https, a host, a port in 1...65535, IPv6 in brackets, nothing odd")
    func urls() throws {
        func urlProblem(_ url: String) -> String? { GateSpec(name: "h", type: .http, url: url).problem }
        #expect(urlProblem("HTTPS://Health.Example.com:8443/x?y=1") == nil)
        #expect(urlProblem("http://[::1]:9090/") == nil)
        #expect(urlProblem("ftp://h/") == "url must start with http:// or https://")
        #expect(urlProblem("h:9090") == "url must start with http:// or https://")
        #expect(urlProblem("http:///x") == "url has no host")
        #expect(urlProblem("http://h:0/") == "url has a port that is not a number in 1...65535")
        #expect(urlProblem("http://h:65536/") == "url has a port that is not a number in 1...65535")
        #expect(urlProblem("http://::1/")?.hasPrefix("url has an IPv6 host without brackets") == true)
        #expect(urlProblem("http://h/a b")?.hasPrefix("url may hold only printable ASCII") == true)
        #expect(urlProblem("http://h\\evil/")?.hasPrefix("url may hold only printable ASCII") == true)
        #expect(urlProblem("http://h/%zz") == "url has a % that is not followed by two hex digits")
        #expect(urlProblem("http://hé.example/")?.hasPrefix("url may hold only printable ASCII") == true)
        #expect(urlProblem("") == "url must have 1 to 2048 characters, got 0")
        #expect(GateSpec(name: "h", type: .http, url: "http://[::1]:9090/").endpoint?.hostAndPort == "[::1]:9090")
        #expect(GateSpec(name: "h", type: .http, url: "https://h/").endpoint?.effectivePort == 443)
    }

    @Test("Ranges: name, interval_seconds, timeout_seconds, and interval within timeout")
    func ranges() throws {
        func with(_ change: (inout GateSpec) -> Void) -> String? {
            var gate = GateSpec(name: "g", type: .prometheus, url: "http://p:9090", query: "up == 0")
            change(&gate)
            return gate.problem
        }
        #expect(with { $0.intervalSeconds = 0 } == "interval_seconds must be in 1...3600, got 0")
        #expect(with { $0.intervalSeconds = 3_601 } == "interval_seconds must be in 1...3600, got 3601")
        #expect(with { $0.timeoutSeconds = 0 } == "timeout_seconds must be in 1...86400, got 0")
        #expect(with { $0.timeoutSeconds = 86_401 } == "timeout_seconds must be in 1...86400, got 86401")
        #expect(with { $0.timeoutSeconds = 86_400 } == nil)
        #expect(
            with {
                $0.intervalSeconds = 60; $0.timeoutSeconds = 30
            }?.hasPrefix("interval_seconds (60) must not exceed timeout_seconds (30)") == true)
        #expect(with { $0.name = "" } == "name must have 1 to 64 characters, got 0")
        #expect(with { $0.name = String(repeating: "n", count: 65) } == "name must have 1 to 64 characters, got 65")
        #expect(with { $0.name = "db errors" } == "name may hold only letters, digits and _ . -")
        #expect(with { $0.name = "db-errors_2.v1" } == nil)
        #expect(
            with { $0.query = String(repeating: "x", count: 4_097) } == "query must have 1 to 4096 characters, got 4097"
        )
    }

    @Test("A list of gates: problems name the gate by place and name; names are unique; at most 16")
    func list() {
        let a = GateSpec(name: "a", type: .http, url: "http://h/")
        var bad = a
        bad.name = "b"
        bad.intervalSeconds = 0
        #expect(GateSpec.problem(of: []) == nil)
        #expect(GateSpec.problem(of: [a]) == nil)
        #expect(GateSpec.problem(of: [a, bad]) == "gates[1] (b): interval_seconds must be in 1...3600, got 0")
        #expect(
            GateSpec.problem(of: [a, a]) == "gates[1] (a): name a is taken by gates[0]; gate names must be unique")
        var junkName = a
        junkName.name = "no good"
        #expect(GateSpec.problem(of: [junkName]) == "gates[0]: name may hold only letters, digits and _ . -")
        let many = (0..<17).map { GateSpec(name: "g\($0)", type: .http, url: "http://h/") }
        #expect(GateSpec.problem(of: many) == "gates may hold at most 16 gates, got 17")
    }
}
