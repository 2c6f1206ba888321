import Foundation
import HTTPTypes
import Hummingbird
import InventoryModel
import Testing

@testable import BatchSource

/// The dashboard's files as the router serves them, and the two small API pieces it uses:
/// `GET /api/v1/whoami` and an operator's `state_reason`.
@Suite("Dashboard serving")
struct DashboardServingTests {
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let nosniff = HTTPField.Name("X-Content-Type-Options")!

    @Test("the files are built in: an HTML page whose scripts and styles are files of their own")
    func embedded() throws {
        let index = try #require(DashboardFiles.all["index.html"])
        let html = String(decoding: index.bytes, as: UTF8.self)
        #expect(html.contains(#"<script type="module" src="app.js"></script>"#))
        #expect(!html.contains("<script>") && !html.contains("style=\""), "no inline script or style")
        for name in ["app.js", "api.js", "dom.js", "rollouts.js", "rollout.js", "batch.js", "pools.js", "style.css"] {
            #expect(DashboardFiles.all[name] != nil, "\(name) is missing")
        }
        #expect(DashboardFiles.all["app.js"]?.contentType == "text/javascript; charset=utf-8")
    }

    @Test("/ui redirects to /ui/; files come with their type, an ETag, no-cache and a strict policy, without a token")
    func served() async throws {
        let f = try await APIFixture(hosts: 1)
        defer { f.cleanup() }
        try await f.run { api in
            let redirect = try await api.get("/ui", token: .some(nil))
            #expect(redirect.status == 308)
            #expect(redirect.headers[.location] == "/ui/")
            let page = try await api.get("/ui/", token: .some(nil))
            #expect(page.status == 200)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[Self.csp])
            #expect(
                policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'")
                    && !policy.contains("unsafe-inline"))
            #expect(page.headers[Self.nosniff] == "nosniff")
            #expect(page.headers[.cacheControl] == "no-cache")
            let etag = try #require(page.headers[.eTag])
            let again = try await api.call(.get, "/ui/index.html", token: .some(nil), headers: [.ifNoneMatch: etag])
            #expect(again.status == 304)
            #expect(again.text.isEmpty)
            let css = try await api.get("/ui/style.css", token: .some(nil))
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.eTag] != etag)
            #expect(try await api.get("/ui/missing.js", token: .some(nil)).status == 404)
            #expect(try await api.get("/ui/../api/v1/cursors", token: .some(nil)).status != 200)
            #expect(try await api.call(.post, "/ui/app.js", token: .some(nil)).status == 405)
            #expect(
                try await api.get("/api/v1/cursors", token: .some(nil)).status == 401, "the API keeps its token check")
        }
    }

    @Test("whoami answers the calling token's name and scope")
    func whoami() async throws {
        let f = try await APIFixture(hosts: 1)
        defer { f.cleanup() }
        try await f.run { api in
            for token in [f.read, f.claim, f.admin] {
                let me = try await api.get("/api/v1/whoami", token: token)
                #expect(me.status == 200)
                let scope = me.json?.objectValue?["scope"]?.stringValue
                let expected = token == f.read ? "read" : token == f.claim ? "claim" : "admin"
                #expect(scope == expected)
                #expect(me.json?.objectValue?["name"]?.stringValue?.isEmpty == false)
            }
            #expect(try await api.get("/api/v1/whoami", token: .some(nil)).status == 401)
        }
    }

    @Test("an abort or a pause keeps the operator's reason; a reason alone or for a resume is refused")
    func stateReason() async throws {
        let f = try await APIFixture(hosts: 3)
        defer { f.cleanup() }
        try await f.run { api in
            _ = try await api.createCursor("c")
            let paused = try await api.call(
                .patch, "/api/v1/cursors/c", text: #"{"state": "paused", "state_reason": "change freeze"}"#)
            #expect(paused.status == 200)
            #expect(paused["state_reason"]?.stringValue == "paused by an operator: change freeze")
            #expect(try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state_reason": "why"}"#).status == 422)
            #expect(
                try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state": "active", "state_reason": "why"}"#)
                    .status == 422)
            #expect(
                try await api.call(.patch, "/api/v1/cursors/c", text: #"{"state": "aborted", "state_reason": 3}"#)
                    .status == 422)
            let aborted = try await api.call(
                .patch, "/api/v1/cursors/c", text: #"{"state": "aborted", "state_reason": "hosts rebuilt"}"#)
            #expect(aborted["state"]?.stringValue == "aborted")
            #expect(aborted["state_reason"]?.stringValue == "aborted by an operator: hosts rebuilt")
        }
    }
}
