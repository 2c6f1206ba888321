import Foundation
import HTTPTypes
import InventoryModel
import Testing

@testable import BatchSource

/// The contract's edges: numbers in range, no unknown fields, known host-summary counters,
/// 405 with Allow, and `force` for admins only.
@Suite("HTTP contract: bounds, unknown fields, counters, 405, force")
struct HTTPContractTests {
    @Test("numbers out of range are 422 naming the field, the range and the value", arguments: StoreKind.allCases)
    func bounds(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            let refusals: [(String, String)] = [
                (#", "lease_seconds": 140737488355327"#, "lease_seconds must be in 1...604800, got 140737488355327"),
                (#", "lease_seconds": 0"#, "lease_seconds must be in 1...604800, got 0"),
                (#", "lease_seconds": 99999999999999999999"#, "lease_seconds: the number is too large"),
                (#", "max_failed_hosts": -1"#, "max_failed_hosts must be in 0...10000000, got -1"),
                (#", "pause_after": [0]"#, "pause_after must be in 1...2147483647, got 0"),
                (#", "max_fail_percentage": 101"#, "max_fail_percentage must be in 0...100"),
            ]
            for (extra, message) in refusals {
                let answer = try await api.createCursor("c", extra: extra)
                #expect(answer.status == 422, "\(extra): \(answer.text)")
                #expect(answer.errorMessage?.contains(message) == true, "\(extra): \(answer.text)")
            }
            let inFlight = try await api.createCursor("c", maxInFlight: 0)
            #expect(inFlight.errorMessage?.contains("max_in_flight must be in 1...10000, got 0") == true)
            for size in [#""abc""#, #""200%""#, "20000000"] {
                let answer = try await api.createCursor("c", batchSize: size)
                #expect(answer.status == 422 && answer.errorMessage?.contains("batch_size") == true, "\(answer.text)")
            }
            #expect(try await api.get("/api/v1/cursors/c").status == 404, "nothing was made")

            _ = try await api.createCursor("c")
            _ = try await api.claim(consumer: "a")
            let beat = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/heartbeat", text: #"{"consumer": "a", "lease_seconds": 0}"#)
            #expect(beat.status == 422 && beat.errorMessage == "lease_seconds: must be in 1...604800, got 0")
            let long = try await api.claim(consumer: String(repeating: "x", count: 300))
            #expect(long.status == 422 && long.errorMessage?.contains("1 to 256 characters, got 300") == true)
            let patch = try await api.call(.patch, "/api/v1/cursors/c", text: #"{"max_in_flight": 100000}"#)
            #expect(patch.status == 422 && patch.errorMessage?.contains("max_in_flight must be in 1...10000") == true)
        }
    }

    @Test("unknown fields of a request body are refused with 422 naming them", arguments: StoreKind.allCases)
    func unknownFields(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            let create = try await api.createCursor("c", extra: #", "lease_secs": 60"#)
            #expect(create.status == 422 && create.errorMessage?.hasPrefix("lease_secs: unknown field") == true)
            _ = try await api.createCursor("c")
            let claim = try await api.call(
                .post, "/api/v1/cursors/c/claim", text: #"{"consumer": "a", "claimkey": "k"}"#)
            #expect(claim.status == 422 && claim.errorMessage?.contains("claimkey: unknown field") == true)
            _ = try await api.claim(consumer: "a")
            let release = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/release", text: #"{"consumer": "a", "why": "x"}"#)
            #expect(release.status == 422 && release.errorMessage?.contains("why: unknown field") == true)
            let retry = try await api.call(.post, "/api/v1/cursors/c/retry", text: #"{"name": "r", "hosts": []}"#)
            #expect(retry.status == 422 && retry.errorMessage?.contains("hosts: unknown field") == true)
        }
    }

    @Test(
        "host summaries: Ansible's and AWX's counter names map as documented; others are refused",
        arguments: StoreKind.allCases)
    func hostSummaries(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c")
            _ = try await api.claim(consumer: "a")
            for bad in [#"{"bogus": 1}"#, #"{"failed": true}"#, #"{"ok": -1}"#] {
                let answer = try await api.call(
                    .post, "/api/v1/cursors/c/batches/1/complete",
                    text: #"{"consumer": "a", "host_summaries": {"web01": \#(bad)}}"#)
                #expect(answer.status == 422, "\(bad): \(answer.text)")
                #expect(answer.errorMessage?.contains("host_summaries.web01") == true, "\(answer.text)")
            }
            let unknown = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete",
                text: #"{"consumer": "a", "host_summaries": {"web01": {"bogus": 1}}}"#)
            #expect(unknown.errorMessage?.contains("changed, dark, failures, ignored, ok, processed") == true)
            #expect(try await api.get("/api/v1/cursors/c/batches/1")["state"] == .string("leased"))

            let summaries = """
                {"consumer": "a", "host_summaries": {"web01": {"ok": 1, "unreachable": 1}, \
                "web02": {"ok": 3, "rescued": 1}, "web03": {"ok": 2, "ignored": 1, "processed": 1}}}
                """
            let done = try await api.call(.post, "/api/v1/cursors/c/batches/1/complete", text: summaries)
            #expect(done.status == 200, "\(done.text)")
            #expect(
                done["results"]
                    == .object(["web01": .string("unreachable"), "web02": .string("ok"), "web03": .string("ok")]))
        }
    }

    @Test("a method the path does not have is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let f = try await APIFixture(hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            let delete = try await api.call(.delete, "/api/v1/cursors/c")
            #expect(delete.status == 405 && delete.errorCode == "method_not_allowed")
            #expect(delete.headers[.allow] == "GET, HEAD, PATCH")
            let put = try await api.call(.put, "/api/v1/cursors")
            #expect(put.status == 405 && put.headers[.allow] == "GET, HEAD, POST")
            let complete = try await api.call(.get, "/api/v1/cursors/c/batches/1/complete")
            #expect(complete.status == 405 && complete.headers[.allow] == "POST")
            #expect(try await api.get("/api/v1/nothing").status == 404)
            #expect(try await api.get("/api/v1/cursors/c").status == 404, "a route's own 404 stays")
        }
    }

    @Test("force needs the admin scope; the API's repro of a stale holder answers 409", arguments: StoreKind.allCases)
    func force(_ kind: StoreKind) async throws {
        let f = try await APIFixture(kind, hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c")
            _ = try await api.claim(consumer: "w4", token: f.claim)
            let stale = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete", token: f.claim, text: #"{"consumer": "w5"}"#)
            #expect(stale.status == 409 && stale.errorCode == "not_holder")
            let claimScope = try await api.call(
                .post, "/api/v1/cursors/c/batches/1/complete", token: f.claim, text: #"{"force": true}"#)
            #expect(claimScope.status == 403)
            let admin = try await api.call(.post, "/api/v1/cursors/c/batches/1/complete", text: #"{"force": true}"#)
            #expect(admin.status == 200 && admin["state"] == .string("completed"))
        }
    }

    @Test("what Schemathesis found: huge batch sizes, bodies that are not JSON, HEAD and OPTIONS, loose booleans")
    func schemathesisFindings() async throws {
        let f = try await APIFixture(hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            // A batch size near 2^63 once overflowed the batch count and stopped the service.
            for size in ["9223372036854775807", #""9223372036854775807""#, "[1, 9223372036854775807]"] {
                let made = try await api.createCursor("big", batchSize: size)
                #expect(made.status == 422 && made.errorMessage?.contains("batch_size") == true, "\(made.text)")
            }
            _ = try await api.createCursor("c")
            let patched = try await api.call(.patch, "/api/v1/cursors/c", text: #"{"batch_size": 9223372036854775807}"#)
            #expect(patched.status == 422, "\(patched.text)")
            #expect(try await api.get("/api/v1/cursors/c").status == 200, "the service still answers")

            let plain = try await api.call(
                .patch, "/api/v1/cursors/c", text: #"{"state": "paused"}"#, headers: [.contentType: "text/plain"])
            #expect(plain.status == 415 && plain.errorCode == "unsupported_media_type")
            #expect(try await api.get("/api/v1/cursors/c")["state"] == .string("active"), "nothing was applied")
            let mergePatch = try await api.call(
                .patch, "/api/v1/cursors/c", text: #"{"state": "paused"}"#,
                headers: [.contentType: "application/merge-patch+json"])
            #expect(mergePatch.status == 200)

            let head = try await api.call(.head, "/api/v1/cursors/c")
            #expect(head.status == 200 && head.text.isEmpty)
            let options = try await api.call(.options, "/api/v1/cursors/c")
            #expect(options.status == 405 && options.headers[.allow] == "GET, HEAD, PATCH")
            #expect(try await api.get("/api/v1/pools/fleet/inventory?export=yes").status == 400)
            #expect(try await api.get("/api/v1/pools/fleet/inventory?export=true").status == 200)
        }
    }
}
