import Foundation
import HTTPTypes
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Rollout safety over HTTP: dry run, plan, events, waits with details")
struct RolloutRoutesTests {
    @Test("a dry run makes nothing and answers the plan; GET plan and events page; a bake is a 409 with details")
    func planEventsAndBake() async throws {
        let f = try await APIFixture(.sqlite, hosts: 10)
        defer { f.cleanup() }
        try await f.run { api in
            let tiers = #", "tiers": ["web[0:1]"], "bake_seconds": 3600"#
            let dry = try await api.call(
                .post, "/api/v1/cursors?dry_run=true&limit=2",
                text: #"{"name": "c", "pool": "fleet", "batch_size": 4\#(tiers)}"#,
                headers: [.contentType: "application/json"])
            #expect(dry.status == 200)
            let preview = try dry.decode(PlanPreview.self)
            #expect(preview.total == 3)
            #expect(preview.items.map(\.hostCount) == [2, 4])
            #expect(preview.items.first?.tierPattern == "web[0:1]")
            #expect(try await api.call(.get, "/api/v1/cursors/c").status == 404)

            #expect(try await api.createCursor("c", batchSize: "4", extra: tiers).status == 201)
            let plan = try await api.call(.get, "/api/v1/cursors/c/plan?offset=1")
            #expect(try plan.decode(PlanPreview.self).items.map(\.batch) == [2, 3])
            let claimed = try await api.claim(consumer: "w1", token: f.claim)
            #expect(claimed.status == 200)
            let done = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete", token: f.claim,
                json: CompleteRequest(consumer: "w1"))
            #expect(done.status == 200)
            let baking = try await api.claim(consumer: "w1", token: f.claim)
            #expect(baking.status == 409)
            #expect(baking.errorCode == "no_batch_free")
            #expect(baking.headers[.retryAfter] == "3600")
            #expect(baking["error"]?.objectValue?["details"]?.objectValue?["waiting_for"] == "bake")

            let events = try await api.call(.get, "/api/v1/cursors/c/events?after=1&limit=2")
            let page = try events.decode(Page<CursorEvent>.self)
            #expect(page.items.map(\.kind) == [.claimed, .completed])
            #expect(page.items.map(\.actor) == ["awx", "awx"])
            // On the wire, details are a JSON object.
            let raw = events["items"]?.arrayValue?.last?.objectValue?["details"]?.objectValue
            #expect(raw?["consumer"] == "w1" && raw?["ok"] == 2)
            #expect(page.total == 4)  // created, claimed, completed, waiting
            #expect(try await api.call(.get, "/api/v1/cursors/c/events?after=-1").status == 422)
            #expect(try await api.call(.get, "/api/v1/cursors/nope/events").status == 404)
        }
    }

    @Test("a gate to a host not on gate_hosts is refused when the cursor is made, naming the setting")
    func gateHostRefused() async throws {
        let f = try await APIFixture(.sqlite, hosts: 4)
        defer { f.cleanup() }
        try await f.run { api in
            let made = try await api.createCursor(
                "c",
                extra: #", "gates": [{"name": "lb", "type": "http", "url": "http://10.0.0.1:8080/health"}]"#)
            #expect(made.status == 422)
            #expect(made.errorMessage?.contains("gate_hosts") == true, "\(made.text)")
        }
    }
}
