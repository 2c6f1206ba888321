import Foundation
import InventoryModel
import LoopbackPort
import PrometheusTestServer
import Testing

@testable import BatchSource

/// The checker against real servers: Debian's Prometheus scraping an endpoint the tests
/// control, and that endpoint's `/health/KEY` answers.
@Suite("Gate checker against a real Prometheus and HTTP endpoint", .gateServers)
struct GateCheckerTests {
    var rig: GateTestRig {
        get throws { try #require(GateTestRig.current, "the suite's gateServers trait starts the rig") }
    }

    func httpGate(_ key: String, jsonField: String? = nil, equals: JSONValue? = nil) throws -> GateSpec {
        GateSpec(
            name: "health-\(key)", type: .http, url: try rig.endpoint.url + "/health/\(key)", jsonField: jsonField,
            equals: equals)
    }

    @Test("A prometheus gate on test_errors > 0 is healthy at 0, unhealthy with the series at 3, healthy again at 0")
    func prometheusFlips() async throws {
        let rig = try rig
        try await rig.prometheus.waitForFirstScrape()
        let gate = GateSpec(name: "errors", type: .prometheus, url: rig.prometheus.url, query: "test_errors > 0")
        let calm = await rig.checker.check(gate)
        #expect(calm == GateOutcome(healthy: true, evidence: "no series"))

        rig.endpoint.setGauge("test_errors", 3)
        let failing = try await rig.check(gate, until: false)
        #expect(!failing.healthy, "the gauge at 3 shows within a few scrapes")
        #expect(failing.evidence.hasPrefix("1 series: {"))
        #expect(failing.evidence.contains("instance=\"\(rig.endpoint.hostAndPort)\""))
        #expect(failing.evidence.contains("job=\"gate-test\""))
        #expect(failing.evidence.hasSuffix("} 3"))

        rig.endpoint.setGauge("test_errors", 0)
        let recovered = try await rig.check(gate, until: true)
        #expect(recovered.healthy, "the gauge back at 0 clears the series")
    }

    @Test("A bad PromQL query is unhealthy with Prometheus's own error")
    func badQuery() async throws {
        let rig = try rig
        let gate = GateSpec(name: "bad", type: .prometheus, url: rig.prometheus.url, query: "test_errors >")
        let outcome = await rig.checker.check(gate)
        #expect(!outcome.healthy)
        #expect(outcome.evidence.hasPrefix("prometheus error bad_data: "))
        #expect(outcome.evidence.contains("parse error"))
    }

    @Test("A base URL with a trailing slash works; a query with no series is healthy")
    func trailingSlash() async throws {
        let rig = try rig
        let gate = GateSpec(
            name: "slash", type: .prometheus, url: rig.prometheus.url + "/", query: "test_errors > 1000000")
        let outcome = await rig.checker.check(gate)
        #expect(outcome == GateOutcome(healthy: true, evidence: "no series"))
    }

    @Test("A scalar result never passes and says why; a matrix lists each series' newest value")
    func scalarAndMatrix() async throws {
        let rig = try rig
        let scalar = await rig.checker.check(
            GateSpec(name: "scalar", type: .prometheus, url: rig.prometheus.url, query: "scalar(vector(2))"))
        #expect(!scalar.healthy)
        #expect(scalar.evidence.hasPrefix("query returns a scalar (2), not series"))

        try await rig.prometheus.waitForFirstScrape()
        let matrix = await rig.checker.check(
            GateSpec(name: "matrix", type: .prometheus, url: rig.prometheus.url, query: "up{job=\"gate-test\"}[30s]"))
        #expect(!matrix.healthy)
        #expect(matrix.evidence.hasPrefix("1 series: {__name__=\"up\", instance="))
        #expect(matrix.evidence.hasSuffix("} 1"))
    }

    @Test("An http gate is healthy on 200")
    func healthyOn200() async throws {
        let rig = try rig
        rig.endpoint.reply("ok200", status: 200, body: "fine", contentType: "text/plain")
        let outcome = await rig.checker.check(try httpGate("ok200"))
        #expect(outcome == GateOutcome(healthy: true, evidence: "HTTP 200"))
    }

    @Test("An http gate is unhealthy on 503 with the status and a body excerpt of at most about 500 characters")
    func unhealthyOn503() async throws {
        let rig = try rig
        let body = "{\"status\":\"degraded\",\n  \"detail\":\"" + String(repeating: "d", count: 3_000) + "\"}"
        rig.endpoint.reply("down", status: 503, body: body)
        let outcome = await rig.checker.check(try httpGate("down"))
        #expect(!outcome.healthy)
        #expect(outcome.evidence.hasPrefix("HTTP 503; body: {\"status\":\"degraded\", \"detail\":\"ddd"))
        #expect(outcome.evidence.hasSuffix("..."))
        #expect(outcome.evidence.count <= "HTTP 503; body: ".count + 503)
        #expect(!outcome.evidence.contains("\n"), "evidence is one line")
    }

    @Test("json_field and equals: healthy when the field has the value, unhealthy naming both values when not")
    func jsonField() async throws {
        let rig = try rig
        rig.endpoint.reply(
            "json", status: 200, body: #"{"status": {"healthy": false, "n": 1.0}, "checks": [{"ok": true}]}"#)
        let wrong = await rig.checker.check(try httpGate("json", jsonField: "status.healthy", equals: true))
        #expect(wrong == GateOutcome(healthy: false, evidence: "json field status.healthy is false, wanted true"))

        let right = await rig.checker.check(try httpGate("json", jsonField: "checks.0.ok", equals: true))
        #expect(right == GateOutcome(healthy: true, evidence: "HTTP 200; json field checks.0.ok is true"))

        let number = await rig.checker.check(try httpGate("json", jsonField: "status.n", equals: 1))
        #expect(number.healthy, "1.0 in the body equals 1 in the gate")

        let missing = await rig.checker.check(try httpGate("json", jsonField: "status.ready", equals: true))
        #expect(!missing.healthy)
        #expect(missing.evidence.hasPrefix("json field status.ready is missing; body: {\"status\""))

        rig.endpoint.reply("notjson", status: 200, body: "<html>ok</html>", contentType: "text/html")
        let notJSON = await rig.checker.check(try httpGate("notjson", jsonField: "status", equals: "ok"))
        #expect(!notJSON.healthy)
        #expect(notJSON.evidence.hasPrefix("HTTP 200; body is not JSON ("))
        #expect(notJSON.evidence.hasSuffix("; body: <html>ok</html>"))
    }

    @Test("A redirect is not followed: 302 is unhealthy")
    func redirect() async throws {
        let rig = try rig
        rig.endpoint.reply("ok", status: 200, body: "fine")
        let before = rig.endpoint.hitCount("/health/ok")
        let gate = GateSpec(name: "redirect", type: .http, url: rig.endpoint.url + "/redirect")
        let outcome = await rig.checker.check(gate)
        #expect(outcome == GateOutcome(healthy: false, evidence: "HTTP 302 (redirects are not followed)"))
        #expect(rig.endpoint.hitCount("/health/ok") == before, "the redirect's target was not fetched")
    }

    @Test("A body over 1 MiB is not read past the limit; a json_field gate on it is unhealthy")
    func bigBody() async throws {
        let rig = try rig
        let gate = GateSpec(
            name: "big", type: .http, url: rig.endpoint.url + "/big", jsonField: "ok", equals: true)
        let outcome = await rig.checker.check(gate)
        #expect(
            outcome
                == GateOutcome(
                    healthy: false, evidence: "HTTP 200; body is larger than 1 MiB, so json field ok was not read"))
    }

    @Test("A closed port is unhealthy with connection refused")
    func closedPort() async throws {
        let rig = try rig
        let port = try LoopbackPort.free()
        let started = Date()
        let outcome = await rig.checker.check(GateSpec(name: "closed", type: .http, url: "http://127.0.0.1:\(port)/"))
        #expect(outcome == GateOutcome(healthy: false, evidence: "connection refused"))
        #expect(Date().timeIntervalSince(started) < 9, "reported by the connect timeout, before the request's")
    }

    @Test("The checker refuses a host off its allow-list without sending a request")
    func refusedByAllowList() async throws {
        let rig = try rig
        rig.endpoint.reply("guarded", status: 200, body: "fine")
        let checker = GateChecker(allowList: try GateAllowList(["127.0.0.1:1"]))
        let outcome = await checker.check(try httpGate("guarded"))
        try await checker.shutdown()
        #expect(!outcome.healthy)
        #expect(
            outcome.evidence
                == "gate health-guarded: host 127.0.0.1:\(rig.endpoint.port) is not on the serve setting gate_hosts (allowed: 127.0.0.1:1); ask the service's operator to add it"
        )
        #expect(rig.endpoint.hitCount("/health/guarded") == 0)
    }
}
