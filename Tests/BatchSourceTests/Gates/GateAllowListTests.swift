import InventoryModel
import Testing

@testable import BatchSource

@Suite("Gate allow-list: the serve setting gate_hosts")
struct GateAllowListTests {
    func gate(_ url: String, name: String = "db-errors") -> GateSpec {
        GateSpec(name: name, type: .prometheus, url: url, query: "errors > 0")
    }

    @Test("A host not listed is refused with the gate, the host and port, and what is allowed")
    func notListed() throws {
        let list = try GateAllowList(["127.0.0.1:9090"])
        #expect(
            list.refusal(for: gate("http://metrics.corp:9090"), at: 0)
                == "gates[0] (db-errors): host metrics.corp:9090 is not on the serve setting gate_hosts (allowed: 127.0.0.1:9090); ask the service's operator to add it"
        )
        #expect(list.refusal(for: gate("http://127.0.0.1:9090")) == nil)
        #expect(
            list.refusal(for: gate("http://metrics.corp:9090"))?.hasPrefix("gate db-errors: host metrics.corp:9090 ")
                == true)
    }

    @Test("An entry without a port allows every port; with one, only that port; default ports count")
    func ports() throws {
        let list = try GateAllowList(["health.example.com", "prometheus.internal:9090", "secure.example.com:443"])
        #expect(list.refusal(for: gate("https://health.example.com/")) == nil)
        #expect(list.refusal(for: gate("http://health.example.com:8080/x")) == nil)
        #expect(list.refusal(for: gate("http://prometheus.internal:9090")) == nil)
        #expect(list.refusal(for: gate("http://prometheus.internal:9091")) != nil)
        #expect(list.refusal(for: gate("http://prometheus.internal")) != nil, "port 80 is not 9090")
        #expect(list.refusal(for: gate("https://secure.example.com/")) == nil, "https means 443")
        #expect(list.refusal(for: gate("http://secure.example.com/")) != nil, "http means 80")
        #expect(list.refusal(for: gate("http://other.example.com:9090")) != nil)
        #expect(list.refusal(for: gate("http://sub.health.example.com")) != nil, "no subdomains")
    }

    @Test("Hosts compare case-insensitively")
    func caseInsensitive() throws {
        let list = try GateAllowList(["Prometheus.Internal:9090"])
        #expect(list.refusal(for: gate("http://PROMETHEUS.internal:9090")) == nil)
        #expect(list.entries.map(\.description) == ["prometheus.internal:9090"])
    }

    @Test("IPv6 entries go in brackets and compare in canonical form")
    func ipv6() throws {
        let list = try GateAllowList(["[::1]:9090", "[2001:DB8::5]"])
        #expect(list.refusal(for: gate("http://[::1]:9090")) == nil)
        #expect(list.refusal(for: gate("http://[0:0:0:0:0:0:0:1]:9090")) == nil)
        #expect(list.refusal(for: gate("http://[::1]:9091")) != nil)
        #expect(list.refusal(for: gate("https://[2001:db8:0::5]:8443/")) == nil)
        #expect(list.entries.map(\.description) == ["[::1]:9090", "[2001:db8::5]"])
        let refused = list.refusal(for: gate("http://[::2]:9090"), at: 3)
        #expect(refused?.hasPrefix("gates[3] (db-errors): host [::2]:9090 is not on") == true)
    }

    @Test("An empty list allows no gate and says so")
    func empty() throws {
        let list = try GateAllowList(["", "  "])
        #expect(list.entries.isEmpty)
        #expect(
            list.refusal(for: gate("http://127.0.0.1:9090"), at: 1)
                == "gates[1] (db-errors): host 127.0.0.1:9090 is not allowed: the serve setting gate_hosts is empty, so no gate may be used; ask the service's operator to add it"
        )
        #expect(GateAllowList.empty.refusal(for: gate("http://127.0.0.1:9090")) != nil)
    }

    @Test("A long list is shown as its first ten entries and how many more")
    func longList() throws {
        let list = try GateAllowList((1...13).map { "h\($0).corp" })
        let refusal = try #require(list.refusal(for: gate("http://x.corp")))
        #expect(refusal.contains("(allowed: h1.corp, h2.corp, "))
        #expect(refusal.contains("h10.corp and 3 more)"))
    }

    @Test(
        "Junk entries throw a typed error naming the entry",
        arguments: [
            "http://prometheus:9090", "prometheus:9090/api", "*.corp", "host:0", "host:99999", "host:abc", "host:",
            "user@host", "[::1", "[::1]x", "::1", "[fe80::1%25eth0]", "bad host", "[not-v6]",
        ])
    func junk(entry: String) {
        #expect(throws: GateAllowListError.self) { try GateAllowList([entry]) }
        do {
            _ = try GateAllowList(["127.0.0.1", entry])
        } catch {
            #expect(error.entry == entry)
            #expect(error.description.hasPrefix("gate_hosts entry \"\(entry)\": "))
        }
    }

    @Test("A URL with user info or that the HTTP client would read otherwise is refused, without the secret")
    func oddURLs() throws {
        let list = try GateAllowList(["127.0.0.1"])
        let secret = try #require(list.refusal(for: gate("http://admin:hunter2@127.0.0.1:9090"), at: 0))
        #expect(secret.hasPrefix("gates[0] (db-errors): url must not hold a user name or password"))
        #expect(!secret.contains("hunter2"))
        #expect(list.refusal(for: gate("http://127.0.0.1\\@evil.example/")) != nil)
        #expect(list.refusal(for: gate("ftp://127.0.0.1/")) != nil)
    }
}
