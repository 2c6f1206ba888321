import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// Every endpoint's normal answer, through the real router, on each store.
@Suite("HTTP routes")
struct HTTPRoutesTests {
    @Test(
        "pools: import by content type, new revision on re-import, list, show, hosts by pattern, inventory, delete",
        arguments: StoreKind.allCases)
    func pools(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 0)
        defer { f.cleanup() }
        try await f.run { api in
            let yaml =
                "all:\n  children:\n    web:\n      hosts:\n        w1:\n          port: 80\n        w2:\n    db:\n  "
                + "    hosts:\n        d1:\n      vars:\n        engine: pg\n"
            let created = try await api.call(
                .put, "/api/v1/pools/p1", text: yaml, headers: [.contentType: "application/yaml"])
            #expect(created.status == 201)
            #expect(created["revision"] == .int(1))
            #expect(created["host_count"] == .int(3))
            #expect(created["format"] == .string("yaml"))
            let again = try await api.call(
                .put, "/api/v1/pools/p1", text: "[web]\nw1\nw3\n", headers: [.contentType: "text/plain"])
            #expect(again.status == 200)
            #expect(again["revision"] == .int(2))
            #expect(again["format"] == .string("ini"))

            let list = try await api.get("/api/v1/pools")
            #expect(list["total"] == .int(1))
            #expect(list["items"]?.arrayValue?.first?.objectValue?["name"] == .string("p1"))
            #expect(try await api.get("/api/v1/pools/p1")["host_count"] == .int(2))

            let w1 = try await api.get("/api/v1/pools/p1/hosts?pattern=w1")
            #expect(w1["items"]?.arrayValue?.first?.objectValue?["vars"]?.objectValue != nil)
            let hosts = try await api.get("/api/v1/pools/p1/hosts?pattern=w3")
            #expect(hosts["items"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["w3"])

            let old = try await api.get("/api/v1/pools/p1/inventory?revision=1&export=true")
            #expect(old.status == 200)
            #expect(old.json?.objectValue?["db"]?.objectValue?["vars"]?.objectValue?["engine"] == .string("pg"))
            let merged = try await api.get("/api/v1/pools/p1/inventory?revision=1")
            #expect(
                merged.json?.objectValue?["_meta"]?.objectValue?["hostvars"]?.objectValue?["d1"]?.objectValue?["engine"]
                    == .string("pg"))

            #expect(try await api.call(.delete, "/api/v1/pools/p1").status == 204)
            #expect(try await api.get("/api/v1/pools/p1").status == 404)
        }
    }

    @Test(
        "cursors: create 201, show, list filtered by state and pool, merge patch, retry", arguments: StoreKind.allCases)
    func cursors(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 10)
        defer { f.cleanup() }
        try await f.run { api in
            let made = try await api.createCursor(
                "c", batchSize: #""30%""#, extra: #", "order": "sorted", "max_fail_percentage": 0"#)
            #expect(made.status == 201)
            #expect(made["settings"] == nil)  // settings are flat, as in the request
            #expect(made["batch_size"] == .string("30%"))
            #expect(made["progress"]?.objectValue?["batches_total"] == .int(4))
            _ = try await api.createCursor("d")

            let patched = try await api.call(
                .patch, "/api/v1/cursors/d", text: #"{"state": "paused", "batch_size": 5}"#,
                headers: [.contentType: "application/merge-patch+json"])
            #expect(patched.status == 200)
            #expect(patched["state"] == .string("paused"))
            #expect(patched["batch_size"] == .int(5))
            let paused = try await api.get("/api/v1/cursors?state=paused")
            #expect(paused["items"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["d"])
            #expect(try await api.get("/api/v1/cursors?pool=fleet")["total"] == .int(2))
            #expect(try await api.get("/api/v1/cursors?pool=other")["total"] == .int(0))

            // Batch 1 of c fails wholly: max_fail_percentage 0 halts it; retry takes its failed hosts.
            let claim = try await api.claim("c", consumer: "x")
            let hosts = claim["batch"]?.objectValue?["hosts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(hosts == ["web01", "web02", "web03"])
            let results = Dictionary(uniqueKeysWithValues: hosts.map { ($0, HostStatus.failed) })
            let done = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete", json: CompleteRequest(results: results, consumer: "x"))
            #expect(done.status == 200)
            #expect(try await api.get("/api/v1/cursors/c")["state"] == .string("halted"))
            let retry = try await api.call(.post, "/api/v1/cursors/c/retry", json: RetryRequest(name: "c-retry"))
            #expect(retry.status == 201)
            #expect(retry["retry_of"] == .string("c"))
            #expect(retry["progress"]?.objectValue?["total_hosts"] == .int(3))
        }
    }

    @Test(
        "claim answers the batch with vars and groups; GET claim re-reads it without claiming",
        arguments: StoreKind.allCases)
    func claimAndCurrent(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 5)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c", batchSize: "2")
            let first = try await api.claim(consumer: "awx-1", key: "update-7", token: f.claim)
            #expect(first.status == 200)
            // On the wire, vars are JSON objects (not OrderedDictionary's flat arrays).
            let raw = first["batch"]?.objectValue
            #expect(raw?["hostvars"]?.objectValue?["web01"]?.objectValue?["idx"] == .int(1))
            #expect(raw?["groups"]?.objectValue?["dc1"]?.objectValue?["vars"]?.objectValue?["dc"] == .string("one"))
            let answer = try first.decode(ClaimResponse.self)
            let batch = try #require(answer.batch)
            #expect(batch.batchId == 1 && batch.attempt == 1 && answer.hasMore)
            #expect(batch.hostvars?["web01"]?["idx"] == .int(1))
            #expect(batch.groups?["dc1"]?.vars["dc"] == .string("one"))
            #expect(batch.groups?["dc1"]?.children == ["web"])
            #expect(batch.groups?["web"]?.hosts == ["web01", "web02"])
            #expect(batch.leaseExpiresAt != nil)

            let current = try await api.get("/api/v1/cursors/c/claim?consumer=awx-1", token: f.read)
            #expect(try current.decode(ClaimResponse.self).batch?.batchId == 1)
            let byKey = try await api.get("/api/v1/cursors/c/claim?claim_key=update-7", token: f.read)
            #expect(try byKey.decode(ClaimResponse.self).batch?.batchId == 1)
            let nobody = try await api.get("/api/v1/cursors/c/claim?consumer=someone-else", token: f.read)
            #expect(nobody.status == 404 && nobody.errorCode == "no_current_batch")
            // Reading never claimed: the cursor still has exactly one batch out.
            #expect(try await api.get("/api/v1/cursors/c")["progress"]?.objectValue?["batches_in_flight"] == .int(1))
        }
    }

    @Test(
        "batches: list by state, show, heartbeat with external_ref, release, complete with AWX host summaries",
        arguments: StoreKind.allCases)
    func batches(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 6)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c", batchSize: "3", maxInFlight: 2)
            _ = try await api.claim(consumer: "a", token: f.claim)
            _ = try await api.claim(consumer: "b", token: f.claim)
            let beat = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/heartbeat", token: f.claim,
                json: LeaseRequest(consumer: "a", leaseSeconds: 600, externalRef: "awx-job-42"))
            #expect(beat.status == 200)
            #expect(beat["external_ref"] == .string("awx-job-42"))
            let released = try await api.call(
                .post, "/api/v1/cursors/c/batches/2/release", token: f.claim, json: LeaseRequest(consumer: "b"))
            #expect(released["state"] == .string("available"))

            let summaries =
                #"{"consumer": "a", "host_summaries": {"web01": {"ok": 2, "changed": 1}, "web02": {"failures": 1}, "web03": {"dark": 1}}}"#
            let done = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete", token: f.claim, text: summaries,
                headers: [.contentType: "application/json"])
            #expect(done.status == 200)
            #expect(
                done["results"]
                    == .object([
                        "web01": .string("changed"), "web02": .string("failed"), "web03": .string("unreachable"),
                    ]))

            let completed = try await api.get("/api/v1/cursors/c/batches?state=completed", token: f.read)
            #expect(completed["items"]?.arrayValue?.count == 1)
            let available = try await api.get("/api/v1/cursors/c/batches?state=available", token: f.read)
            #expect(available["items"]?.arrayValue?.first?.objectValue?["batch_id"] == .int(2))
            #expect(try await api.get("/api/v1/cursors/c/batches/1", token: f.read)["state"] == .string("completed"))

            let failed = try await api.get("/api/v1/cursors/c/hosts?result=failed", token: f.read)
            #expect(failed["items"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["web02"])
            let pending = try await api.get("/api/v1/cursors/c/hosts?result=pending", token: f.read)
            #expect(pending["total"] == .int(3))
        }
    }

    @Test("paging: limit and offset slice lists and report the total", arguments: StoreKind.allCases)
    func paging(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 7)
        defer { f.cleanup() }
        try await f.run { api in
            let page = try await api.get("/api/v1/pools/fleet/hosts?limit=3&offset=5")
            #expect(page["total"] == .int(7))
            #expect(page["limit"] == .int(3))
            #expect(page["offset"] == .int(5))
            #expect(
                page["items"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } == ["web06", "web07"])
        }
    }

    @Test(
        "seed endpoint: auto-ack batches for the token's name, then batch_id past the end, no hosts, has_more false",
        arguments: StoreKind.allCases)
    func seed(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 5, defaultCursor: "c")
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c", batchSize: "2")
            var seen: [String] = []
            var ids: [Int] = []
            while true {
                let answer = try await api.get("/api/nextBatch", token: f.claim)
                #expect(answer.status == 200)
                let decoded = try answer.decode(NextBatchResponse.self)
                ids.append(decoded.batchId)
                seen += decoded.hosts
                if !decoded.hasMore {
                    #expect(decoded.hosts.isEmpty)
                    break
                }
            }
            #expect(ids == [1, 2, 3, 4])
            #expect(seen == ["web01", "web02", "web03", "web04", "web05"])
            let cursor = try await api.get("/api/v1/cursors/c")
            #expect(cursor["state"] == .string("done"))
            #expect(
                try await api.get("/api/v1/cursors/c/batches?state=completed")["items"]?.arrayValue?.first?
                    .objectValue?["consumer"] == .string("awx"))
            // ?consumer= names another consumer; ?cursor= another cursor.
            _ = try await api.createCursor("e", batchSize: "5")
            let other = try await api.get("/api/nextBatch?cursor=e&consumer=laptop", token: f.claim)
            #expect(other["hosts"]?.arrayValue?.count == 5)
            #expect(try await api.get("/api/v1/cursors/e/batches/1")["consumer"] == .string("laptop"))
        }
    }

    @Test(
        "health, readiness and metrics need no token; every answer carries a request id", arguments: StoreKind.allCases)
    func health(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 1)
        defer { f.cleanup() }
        try await f.run { api in
            #expect(try await api.get("/healthz", token: .some(nil)).status == 200)
            #expect(try await api.get("/readyz", token: .some(nil))["status"] == .string("ready"))
            let mine = try await api.call(
                .get, "/healthz", token: .some(nil), headers: [.init("X-Request-Id")!: "trace-123"])
            #expect(mine.headers[.init("X-Request-Id")!] == "trace-123")
            let generated = try await api.get("/api/v1/pools")
            #expect((generated.headers[.init("X-Request-Id")!] ?? "").count >= 8)
        }
    }
}
