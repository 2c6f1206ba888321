import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Completion, thresholds and cursor changes, on every store")
struct CompletionTests {
    @Test(
        "completing twice with the same results is a no-op; with other results a conflict",
        arguments: StoreKind.allCases)
    func idempotentComplete(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        _ = try await f.claim("a")
        _ = try await f.complete(1, ["web01": .changed])
        let same = try await f.complete(1, ["web01": .changed])
        #expect(same.results?["web01"] == .changed)
        #expect(same.results?["web02"] == .ok)
        let other = await engineError { try await f.complete(1, ["web01": .failed]) }
        #expect(other?.code == "batch_completed")
        #expect(try await f.engine.cursors.cursor("c").progress.hostsDone == 2)
    }

    @Test(
        "a cursor's hosts name the batch that holds them, and none before a batch does", arguments: StoreKind.allCases)
    func hostsNameTheirBatch(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 12)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "1,2,3", maxInFlight: 5)
        var expected: [String: Int] = [:]
        for consumer in ["a", "b", "c", "d"] {
            let batch = try #require(try await f.claim(consumer).batch)
            for host in batch.hosts { expected[host] = batch.batchId }
        }
        _ = try await f.complete(2, ["web02": .failed])
        _ = try await f.engine.cursors.release("c", batch: 3, LeaseRequest(consumer: "c"))
        let page = try await f.engine.cursors.hosts("c", status: nil, limit: 100, offset: 0)
        #expect(page.items.count == 12)
        for host in page.items {
            #expect(host.batchId == expected[host.name], "\(host.name) at position \(host.position)")
        }
        #expect(page.items.filter { $0.batchId == nil }.count == 12 - 9, "1 + 2 + 3 + 3 hosts are in batches")
        let failed = try await f.engine.cursors.hosts("c", status: .failed, limit: 100, offset: 0)
        #expect(failed.items.map(\.name) == ["web02"] && failed.items.first?.batchId == 2)
    }

    @Test("a host outside the batch is refused and nothing is stored", arguments: StoreKind.allCases)
    func strangerHost(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 4)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2")
        _ = try await f.claim("a")
        let e = await engineError { try await f.complete(1, ["web04": .ok]) }
        #expect(e?.status == 422)
        #expect(try await f.engine.cursors.cursor("c").progress.hostsDone == 0)
    }

    @Test("max_fail_percentage exceeded halts the cursor; not reached does not", arguments: StoreKind.allCases)
    func failPercentage(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 8)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "4", maxFailPercentage: 25)
        _ = try await f.claim("a")
        _ = try await f.complete(1, ["web01": .failed])  // 1 of 4: int(0.25 * 4) = 1 is not < 1
        #expect(try await f.engine.cursors.cursor("c").state == .active)
        _ = try await f.claim("a")
        _ = try await f.complete(2, ["web05": .failed, "web06": .unreachable])
        let info = try await f.engine.cursors.cursor("c")
        #expect(info.state == .halted)
        #expect(info.stateReason?.contains("max_fail_percentage") == true)
        let refused = await engineError { try await f.claim("b") }
        #expect(refused?.code == "cursor_halted")
    }

    @Test("max_failed_hosts counts across the rollout", arguments: StoreKind.allCases)
    func maxFailedHosts(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxFailedHosts: 1)
        _ = try await f.claim("a")
        _ = try await f.complete(1, ["web01": .failed])
        #expect(try await f.engine.cursors.cursor("c").state == .active)
        _ = try await f.claim("a")
        _ = try await f.complete(2, ["web03": .failed])
        #expect(try await f.engine.cursors.cursor("c").state == .halted)
    }

    @Test("pause_after pauses after the canary; resume goes on", arguments: StoreKind.allCases)
    func pauseAfter(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 5)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "1,2", pauseAfter: [1])
        _ = try await f.claim("a")
        _ = try await f.complete(1)
        let paused = try await f.engine.cursors.cursor("c")
        #expect(paused.state == .paused)
        #expect(await engineError { try await f.claim("a") }?.code == "cursor_paused")
        _ = try await f.engine.cursors.patch("c", ["state": "active"])
        #expect(try await f.claim("a").batch?.hosts == ["web02", "web03"])
    }

    @Test("PATCH batch_size shapes only batches not yet handed out", arguments: StoreKind.allCases)
    func patchBatchSize(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 10)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "2", maxInFlight: 2)
        let one = try await f.claim("a")
        _ = try await f.engine.cursors.patch("c", ["batch_size": 5])
        #expect(one.batch?.hosts.count == 2)
        #expect(try await f.engine.cursors.batch("c", id: 1).hosts.count == 2)
        #expect(try await f.claim("b").batch?.hosts.count == 5)
        let fixed = await engineError { try await f.engine.cursors.patch("c", ["limit": "web01"]) }
        #expect(fixed?.status == 422)
    }

    @Test("abort stops a rollout for good", arguments: StoreKind.allCases)
    func abort(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 3)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "1")
        _ = try await f.engine.cursors.patch("c", ["state": "aborted"])
        #expect(await engineError { try await f.claim("a") }?.code == "cursor_aborted")
        #expect(await engineError { try await f.engine.cursors.patch("c", ["state": "active"]) }?.status == 409)
    }

    @Test("a retry cursor takes the failed and unreachable hosts, in plan order", arguments: StoreKind.allCases)
    func retryCursor(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 6)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "3")
        _ = try await f.claim("a")
        _ = try await f.complete(1, ["web03": .unreachable, "web01": .failed])
        _ = try await f.claim("a")
        _ = try await f.complete(2, ["web05": .skipped])
        let retry = try await f.engine.cursors.retry("c", RetryRequest(name: "c-retry"))
        #expect(retry.retryOf == "c")
        #expect(retry.progress.totalHosts == 2)
        #expect(try await f.claim("a", cursor: "c-retry").batch?.hosts == ["web01", "web03"])
    }

    @Test(
        "a pool used by an unfinished cursor cannot be deleted; a new import makes a new revision the cursor ignores",
        arguments: StoreKind.allCases)
    func poolRevisions(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 3)
        defer { f.cleanup() }
        _ = try await f.cursor(batchSize: "5")
        let (info, created) = try await f.engine.pools.importPool(name: "fleet", text: "[web]\nother1\n", format: .ini)
        #expect(created == false)
        #expect(info.revision == 2)
        #expect(try await f.claim("a").batch?.hosts == ["web01", "web02", "web03"])
        #expect(await engineError { try await f.engine.pools.deletePool("fleet") }?.code == "pool_in_use")
    }

    @Test(
        "a malformed inventory is refused with the reader's message and stores nothing", arguments: StoreKind.allCases)
    func badInventory(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 1)
        defer { f.cleanup() }
        let e = await engineError {
            try await f.engine.pools.importPool(name: "bad", text: "{\"web\": {\"hosts\": 3}}", format: nil)
        }
        #expect(e?.code == "invalid_inventory")
        #expect(e?.message.contains("host list") == true)
        #expect(await engineError { try await f.engine.pools.pool("bad") }?.status == 404)
    }
}

@Suite("Stored pool revisions")
struct RevisionTests {
    @Test("a host named like a group keeps its own vars when the revision is read back", arguments: StoreKind.allCases)
    func hostNamedLikeGroup(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 1)
        defer { f.cleanup() }
        // ansible-inventory 2.19 reads this as host web {tier: host} beside group web {tier: group}:
        // the host's vars are set before the group exists, so they stay on the host.
        let text =
            "all:\n  hosts:\n    web:\n      tier: host\n  children:\n    web:\n      hosts:\n        w2:\n      "
            + "vars:\n        tier: group\n"
        _ = try await f.engine.pools.importPool(name: "clash", text: text, format: .yaml)
        // Drop the cache's copy so the revision is rebuilt from its rows.
        let fresh = BatchEngine(store: f.engine.store)
        let page = try await fresh.pools.hosts(pool: "clash", pattern: nil, limit: 10, offset: 0)
        #expect(page.items.first { $0.name == "web" }?.vars["tier"] == .string("host"))
        let json = try JSONParser.parse(try await fresh.pools.inventoryJSON(pool: "clash", revision: nil))
        #expect(json.objectValue?["web"]?.objectValue?["vars"]?.objectValue?["tier"] == .string("group"))
    }

    @Test(
        "vars with tabs, newlines, backslashes, quotes and non-ASCII text come back as stored",
        arguments: StoreKind.allCases)
    func awkwardText(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 1)
        defer { f.cleanup() }
        // JSON escapes: the stored value holds a tab, a newline, a backslash, a CR, quotes and "\N"
        // (COPY's NULL marker).
        let json = #"{"web": {"hosts": ["h1"]}, "_meta": {"hostvars": {"h1": {"v": "a\tb\nc\\d\r'e\"f ü 漢 \\N"}}}}"#
        _ = try await f.engine.pools.importPool(name: "odd", text: json, format: .json)
        let fresh = BatchEngine(store: f.engine.store)
        let host = try #require(
            try await fresh.pools.hosts(pool: "odd", pattern: nil, limit: 10, offset: 0).items.first)
        #expect(host.name == "h1")
        #expect(host.vars["v"] == .string("a\tb\nc\\d\r'e\"f ü 漢 \\N"))
    }
}
