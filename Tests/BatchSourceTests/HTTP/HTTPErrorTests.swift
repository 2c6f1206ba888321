import Foundation
import HTTPTypes
import InventoryModel
import Testing

@testable import BatchSource

/// Every error status of the API, with its code and a message that says what to do.
@Suite("HTTP errors")
struct HTTPErrorTests {
    @Test(
        "401 without a token, with a malformed, unknown or revoked token; never echoing the token",
        arguments: StoreKind.allCases)
    func unauthorized(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 1)
        defer { f.cleanup() }
        try await f.run { api in
            #expect(try await api.get("/api/v1/pools", token: .some(nil)).status == 401)
            let garbage = try await api.get("/api/v1/pools", token: "not-a-token")
            #expect(garbage.status == 401 && garbage.errorCode == "unauthorized")
            let forged = f.admin.dropLast(4) + "AAAA"
            let wrong = try await api.get("/api/v1/pools", token: String(forged))
            #expect(wrong.status == 401)
            #expect(!wrong.text.contains(String(forged)))
            let basic = try await api.call(
                .get, "/api/v1/pools", token: .some(nil), headers: [.authorization: "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == 401)
            _ = try await f.tokens.revoke("viewer")
            #expect(try await api.get("/api/v1/pools", token: f.read).status == 401)
        }
    }

    @Test(
        "400 for what is not JSON or not a number, 422 for JSON of a wrong meaning and numbers out of range",
        arguments: StoreKind.allCases)
    func badRequest(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            let broken = try await api.call(
                .post, "/api/v1/cursors", text: "{\"name\": ", headers: [.contentType: "application/json"])
            #expect(broken.status == 400 && broken.errorCode == "bad_request")
            let wrongType = try await api.call(.post, "/api/v1/cursors/x/claim", text: #"{"consumer": 5}"#)
            #expect(wrongType.status == 422 && wrongType.errorCode == "invalid_request")
            #expect(wrongType.errorMessage?.contains("consumer") == true)
            let missing = try await api.call(.post, "/api/v1/cursors/x/claim", text: "{}")
            #expect(missing.status == 422)
            #expect(missing.errorMessage?.contains("consumer") == true)
            let nan = try await api.call(.post, "/api/v1/cursors/x/claim", text: #"{"consumer": NaN}"#)
            #expect(nan.status == 400)
            let limit = try await api.get("/api/v1/pools?limit=0")
            #expect(limit.status == 422 && limit.errorMessage == "query parameter limit must be in 1...1000, got 0")
            #expect(try await api.get("/api/v1/pools?limit=abc").status == 400)
            #expect(try await api.get("/api/v1/cursors?state=sleeping").status == 400)
            _ = try await api.createCursor("c")
            #expect(try await api.get("/api/v1/cursors/c/batches/zero").status == 400)
            #expect(try await api.get("/api/v1/cursors/c/batches/0").status == 422)
            #expect(try await api.get("/api/v1/cursors/c/hosts?result=great").status == 400)
            let patchArray = try await api.call(.patch, "/api/v1/cursors/c", text: "[1]")
            #expect(patchArray.status == 400)
        }
    }

    @Test("403 when the token's scope is too small, for each scope", arguments: StoreKind.allCases)
    func forbidden(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c")
            let readClaims = try await api.claim(consumer: "x", token: f.read)
            #expect(readClaims.status == 403 && readClaims.errorCode == "forbidden")
            #expect(readClaims.errorMessage?.contains("claim") == true)
            #expect(try await api.call(.put, "/api/v1/pools/p", token: f.claim, text: "[a]\nh1\n").status == 403)
            #expect(try await api.claim(consumer: "x", token: f.claim).status == 200)
        }
    }

    @Test("404 for unknown pools, cursors, batches, tokens' routes and paths", arguments: StoreKind.allCases)
    func notFound(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            #expect(try await api.get("/api/v1/pools/nope").errorCode == "not_found")
            #expect(try await api.get("/api/v1/cursors/nope").status == 404)
            #expect(try await api.claim("nope", consumer: "x").status == 404)
            _ = try await api.createCursor("c")
            #expect(try await api.get("/api/v1/cursors/c/batches/9").status == 404)
            let route = try await api.get("/api/v1/nothing-here")
            #expect(route.status == 404 && route.errorCode == "not_found")
        }
    }

    @Test(
        "409 for paused, halted and aborted cursors, no batch free (with Retry-After), pool in use, duplicates, other results",
        arguments: StoreKind.allCases)
    func conflicts(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 6)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c", batchSize: "2")
            #expect(try await api.createCursor("c").status == 409)
            _ = try await api.claim(consumer: "a")
            let busy = try await api.claim(consumer: "b")
            #expect(busy.status == 409 && busy.errorCode == "no_batch_free")
            let retryAfter = Int(busy.headers[.retryAfter] ?? "")
            #expect(retryAfter != nil && retryAfter! >= 1)

            #expect(try await api.call(.delete, "/api/v1/pools/fleet").errorCode == "pool_in_use")

            let first = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete",
                json: CompleteRequest(results: ["web01": .failed], consumer: "a"))
            #expect(first.status == 200)
            let same = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete",
                json: CompleteRequest(results: ["web01": .failed], consumer: "a"))
            #expect(same.status == 200)
            let other = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete",
                json: CompleteRequest(results: ["web01": .ok], consumer: "a"))
            #expect(other.status == 409)

            _ = try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state": "paused"}"#)
            let paused = try await api.claim(consumer: "b")
            #expect(paused.status == 409 && paused.errorCode == "cursor_paused")
            #expect(paused.errorMessage?.contains("resume") == true)
            _ = try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state": "aborted"}"#)
            #expect(try await api.claim(consumer: "b").errorCode == "cursor_aborted")
            #expect(try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state": "active"}"#).status == 409)
        }
    }

    @Test("413 for a body over the limit; nothing is stored", arguments: StoreKind.allCases)
    func tooLarge(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 0, bodyLimit: 4096)
        defer { f.cleanup() }
        try await f.run { api in
            let big = "[web]\n" + (1...1000).map { "host\($0).example.com" }.joined(separator: "\n")
            let answer = try await api.call(.put, "/api/v1/pools/big", text: big)
            #expect(answer.status == 413 && answer.errorCode == "payload_too_large")
            #expect(try await api.get("/api/v1/pools")["total"] == .int(0))
        }
    }

    @Test(
        "422 for a malformed inventory (the reader's message, nothing stored) and for settings that make no sense",
        arguments: StoreKind.allCases)
    func unprocessable(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 2)
        defer { f.cleanup() }
        try await f.run { api in
            let bad = try await api.call(
                .put, "/api/v1/pools/bad", text: "all:\n  hosts: [a, b\n", headers: [.contentType: "application/yaml"])
            #expect(bad.status == 422 && bad.errorCode == "invalid_inventory")
            #expect(bad.errorMessage?.contains("line") == true)
            #expect(try await api.get("/api/v1/pools/bad").status == 404)
            let badINI = try await api.call(
                .put, "/api/v1/pools/bad", text: "[web:vars]\nnot a var line\n", headers: [.contentType: "text/plain"])
            #expect(badINI.status == 422)
            // `all` under a group: ansible-core's loop error (this trapped the service before).
            let rooted = try await api.call(
                .put, "/api/v1/pools/bad", text: "[web]\na\n[web:children]\nall\n",
                headers: [.contentType: "text/plain"])
            #expect(
                rooted.status == 422 && rooted.errorMessage?.contains("recursive dependency loop") == true,
                "\(rooted.errorMessage ?? "")")
            let settings = try await api.call(
                .post, "/api/v1/cursors", text: #"{"name": "c", "pool": "fleet", "batch_size": 0}"#)
            #expect(settings.status == 422)
            #expect(settings.errorMessage?.contains("batch_size") == true)
            let inFlight = try await api.call(
                .post, "/api/v1/cursors", text: #"{"name": "c", "pool": "fleet", "batch_size": 1, "max_in_flight": 0}"#)
            #expect(inFlight.status == 422)
            #expect(try await api.createCursor("ok").status == 201)
            let fixed = try await api.call(.patch, "/api/v1/cursors/ok", text: #"{"pool": "other"}"#)
            #expect(fixed.status == 422)
            let unknownPool = try await api.call(
                .post, "/api/v1/cursors", text: #"{"name": "c2", "pool": "nope", "batch_size": 1}"#)
            #expect(unknownPool.status == 404)
        }
    }

    @Test("503 from /readyz and from the API when the database is gone", arguments: StoreKind.allCases)
    func unavailable(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 1)
        defer { f.cleanup() }
        try await f.engine.store.close()
        try await f.run { api in
            let ready = try await api.get("/readyz", token: .some(nil))
            #expect(ready.status == 503 && ready.errorCode == "not_ready")
            #expect(ready.headers[.retryAfter] != nil)
            #expect(try await api.get("/healthz", token: .some(nil)).status == 200)
            let api503 = try await api.get("/api/v1/pools")
            #expect(api503.status == 503 && api503.errorCode == "store_unavailable")
        }
    }
}
