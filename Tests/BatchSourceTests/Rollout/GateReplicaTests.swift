import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Health gates in the claim rules, with two replicas on one store")
struct GateReplicaTests {
    @Test(
        "a gate is checked once per batch however many replicas claim, and the batch goes out once it passed",
        arguments: StoreKind.allCases)
    func checkedOncePerBatch(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        let endpoint = try await GateTestEndpoint.start()
        defer { endpoint.stop() }
        endpoint.reply("ok", status: 200, body: #"{"status": "ok"}"#)
        let replicas = [
            try BatchEngine(store: f.engine.store, gateHosts: ["127.0.0.1"]),
            try BatchEngine(store: f.engine.store, gateHosts: ["127.0.0.1"]),
        ]
        let gate = GateSpec(
            name: "lb", type: .http, url: endpoint.url + "/health/ok", intervalSeconds: 1, timeoutSeconds: 30)
        _ = try await replicas[0].cursors.create(
            CursorCreateRequest(
                name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(2), gates: [gate])))
        let first = try #require(try await replicas[0].cursors.claim("c", ClaimRequest(consumer: "w0")).batch)
        #expect(endpoint.hitCount("/health/ok") == 0, "the first batch needs no gate")
        _ = try await replicas[1].cursors.complete("c", batch: first.batchId, CompleteRequest(consumer: "w0"))

        var second: BatchInfo?
        var waitedRounds = 0
        let deadline = Date().addingTimeInterval(20)
        while second == nil && Date() < deadline {
            try await withThrowingTaskGroup(of: BatchInfo?.self) { group in
                for (i, engine) in replicas.enumerated() {
                    group.addTask {
                        do {
                            return try await engine.cursors.claim("c", ClaimRequest(consumer: "w\(i)")).batch
                        } catch let e as EngineError {
                            #expect(e.code == "no_batch_free")
                            return nil
                        }
                    }
                }
                for try await batch in group where batch != nil { second = second ?? batch }
            }
            if second == nil {
                waitedRounds += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(second?.batchId == 2)
        #expect(waitedRounds > 0, "claims waited while the gate was being checked")
        #expect(endpoint.hitCount("/health/ok") == 1, "one check for batch 2 across both replicas")
        let events = try await f.engine.cursors.events("c", after: 0, limit: 100).items
        #expect(events.filter { $0.kind == .gatePassed }.map(\.batch) == [2])
        for engine in replicas { await engine.shutdown() }
    }

    @Test(
        "a gate that stays unhealthy past its timeout halts the cursor with the evidence", arguments: StoreKind.allCases
    )
    func timeoutHalts(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        let endpoint = try await GateTestEndpoint.start()
        defer { endpoint.stop() }
        endpoint.reply("bad", status: 503, body: #"{"status": "degraded"}"#)
        let engine = try BatchEngine(store: f.engine.store, gateHosts: ["127.0.0.1"])
        let gate = GateSpec(
            name: "lb", type: .http, url: endpoint.url + "/health/bad", intervalSeconds: 1, timeoutSeconds: 2)
        _ = try await engine.cursors.create(
            CursorCreateRequest(
                name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(2), gates: [gate])))
        let first = try #require(try await engine.cursors.claim("c", ClaimRequest(consumer: "w")).batch)
        _ = try await engine.cursors.complete("c", batch: first.batchId, CompleteRequest(consumer: "w"))
        let deadline = Date().addingTimeInterval(20)
        var info = try await engine.cursors.cursor("c")
        while info.state == .active && Date() < deadline {
            _ = try? await engine.cursors.claim("c", ClaimRequest(consumer: "w"))
            try await Task.sleep(for: .milliseconds(200))
            info = try await engine.cursors.cursor("c")
        }
        #expect(info.state == .halted)
        #expect(info.stateReason?.contains("gate lb was unhealthy for 2 s before batch 2") == true)
        #expect(info.stateReason?.contains("HTTP 503") == true, "\(info.stateReason ?? "")")
        let claim = await engineError { try await engine.cursors.claim("c", ClaimRequest(consumer: "w")) }
        #expect(claim?.code == "cursor_halted")
        let kinds = try await engine.cursors.events("c", after: 0, limit: 100).items.map(\.kind)
        #expect(kinds.contains(.gateFailed) && kinds.last == .halted)
        await engine.shutdown()
    }
}
