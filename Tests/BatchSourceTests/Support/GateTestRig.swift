import Foundation
import InventoryModel
import PrometheusTestServer
import Testing

@testable import BatchSource

/// The real servers of the gate checker's tests: the endpoint the tests control, a real
/// Prometheus scraping its `/metrics` every second, and a checker allowed to call 127.0.0.1.
/// Started once for a suite by the ``Trait/gateServers`` trait and stopped after its last test.
final class GateTestRig: Sendable {
    let endpoint: GateTestEndpoint
    let prometheus: PrometheusTestServer
    let checker: GateChecker

    @TaskLocal static var current: GateTestRig?

    private init(endpoint: GateTestEndpoint, prometheus: PrometheusTestServer, checker: GateChecker) {
        self.endpoint = endpoint
        self.prometheus = prometheus
        self.checker = checker
    }

    static func start() async throws -> GateTestRig {
        let endpoint = try await GateTestEndpoint.start()
        endpoint.setGauge("test_errors", 0)
        do {
            // The endpoint first: Prometheus is told its port in its config.
            let prometheus = try await PrometheusTestServer.start(
                scrapeTargets: [endpoint.hostAndPort], job: "gate-test")
            let checker = GateChecker(allowList: try GateAllowList(["127.0.0.1"]))
            return GateTestRig(endpoint: endpoint, prometheus: prometheus, checker: checker)
        } catch {
            endpoint.stop()
            throw error
        }
    }

    func stop() async {
        await prometheus.stop()
        try? await checker.shutdown()
        endpoint.stop()
    }

    /// Checks `gate` until its outcome is `healthy` (at most `seconds`): Prometheus sees a
    /// change of the gauge only after its next scrape. Returns the last outcome.
    func check(_ gate: GateSpec, until healthy: Bool, within seconds: Double = 15) async throws -> GateOutcome {
        let deadline = Date().addingTimeInterval(seconds)
        var outcome = await checker.check(gate)
        while outcome.healthy != healthy && Date() < deadline {
            try await Task.sleep(for: .milliseconds(250))
            outcome = await checker.check(gate)
        }
        return outcome
    }
}

/// Starts a ``GateTestRig`` once around a whole suite and stops it at the end; the suite's
/// tests find it in ``GateTestRig/current``.
struct GateServersTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let rig = try await GateTestRig.start()
        do {
            try await GateTestRig.$current.withValue(rig) { try await function() }
        } catch {
            await rig.stop()
            throw error
        }
        await rig.stop()
    }
}

extension Trait where Self == GateServersTrait {
    /// The endpoint, Prometheus and checker of ``GateTestRig``, once for the suite.
    static var gateServers: Self { Self() }
}
