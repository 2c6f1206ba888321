import Foundation
import InventoryModel
import Testing

extension InventoryScriptEndToEndTests {
    /// A rollout through inventory-script with a bake time and an http gate: the gate turns
    /// unhealthy mid-rollout and the cursor halts with its evidence; healthy again and resumed,
    /// it goes on; then a freeze closes the window and no new batch starts.
    @Test("bake, a gate that turns unhealthy mid-rollout, resume once healthy, and a freeze that closes the window")
    func bakeGateAndFreeze() async throws {
        let world = try ScriptWorld.get()
        let health = HealthEndpoint()
        try await health.start()
        defer { health.stop() }
        let gate: [String: Any] = [
            "name": "lb", "type": "http", "url": health.url, "json_field": "status", "equals": "ok",
            "interval_seconds": 1, "timeout_seconds": 3,
        ]
        try await Self.setUpDemo(
            world, cursor: "e2e-safety", batchSize: 10, extra: ["bake_seconds": 2, "gates": [gate]])
        var env = world.environment(cursor: "e2e-safety")
        env["BATCH_SOURCE_WAIT"] = "30"
        func list() async throws -> ProcessOutput { try await world.script(["--list"], env: env) }
        func batchId(_ out: ProcessOutput) throws -> JSONValue? {
            try PrintedInventory(out, what: "inventory-script --list").allVars["batch_id"]
        }

        let first = try await list()
        try #require(first.status == 0, "\(first.stderr)")
        #expect(try batchId(first) == 1)
        try await world.complete("e2e-safety", batch: 1)
        let started = Date()
        let second = try await list()
        try #require(second.status == 0, "\(second.stderr)")
        #expect(try batchId(second) == 2)
        #expect(Date().timeIntervalSince(started) >= 1.5, "the claim waited out the 2 s bake")

        try await world.complete("e2e-safety", batch: 2)
        health.set(status: 503, body: #"{"status": "degraded"}"#)
        let refused = try await list()
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("halted"), "\(refused.stderr)")
        let halted = try await world.cursor("e2e-safety")
        #expect(halted["state"] as? String == "halted")
        let reason = halted["state_reason"] as? String ?? ""
        #expect(reason.contains("gate lb") && reason.contains("HTTP 503"), "\(reason)")

        health.set(status: 200, body: #"{"status": "ok"}"#)
        try await world.patchCursor("e2e-safety", ["state": "active"])
        let third = try await list()
        try #require(third.status == 0, "\(third.stderr)")
        #expect(try batchId(third) == 3)

        try await world.complete("e2e-safety", batch: 3)
        let now = Date()
        let span = [
            "from": RFC3339Text.string(now.addingTimeInterval(-60)),
            "until": RFC3339Text.string(now.addingTimeInterval(3600)),
        ]
        try await world.patchCursor("e2e-safety", ["freezes": [span], "bake_seconds": NSNull()])
        env["BATCH_SOURCE_WAIT"] = "0"
        let frozen = try await list()
        #expect(frozen.status != 0)
        #expect(frozen.stderr.contains("frozen"), "\(frozen.stderr)")

        let (status, body) = try await HTTP.json(
            .GET, world.service.url + "/api/v1/cursors/e2e-safety/events?limit=1000", token: world.service.adminToken)
        #expect(status == 200)
        let kinds = ((body as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        for kind in ["gate_passed", "gate_failed", "halted", "resumed", "waiting", "patched"] {
            #expect(kinds.contains(kind), "no \(kind) event in \(kinds)")
        }
    }
}

/// RFC 3339 in UTC, as the service takes it.
enum RFC3339Text {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
