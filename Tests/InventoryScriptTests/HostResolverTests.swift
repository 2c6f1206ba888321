#if canImport(Glibc)
import Glibc
#endif
@testable import InventoryScriptKit
import Synchronization
import Testing

/// The built-in client's name lookup: bounded by the connect timeout (getaddrinfo is not),
/// no lookup at all for an address. DNS is stood in for by the lookup function.
private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

@Suite("inventory-script host resolution")
struct HostResolverTests {
    @Test("a name whose lookup does not answer in time fails as a timeout within the connect budget")
    func slowLookupTimesOut() throws {
        let finished = Flag()
        let slow: HostResolver.Lookup = { host, service in
            usleep(1_500_000)  // a DNS server that does not answer
            defer { finished.value.store(true, ordering: .relaxed) }
            return HostResolver.systemLookup("localhost", service)
        }
        let started = SystemIO.monotonicSeconds()
        let failure = #expect(throws: TransportFailure.self) {
            _ = try HostResolver.resolve("bs.example.internal", port: 8080, until: started + 0.2, lookup: slow)
        }
        let waited = SystemIO.monotonicSeconds() - started
        #expect(failure?.kind == .timeout)
        #expect(failure?.detail.hasPrefix("Resolving timed out after") == true, "\(failure?.detail ?? "")")
        #expect(waited >= 0.19 && waited < 1.2, "gave up after \(waited) s, not when the lookup ended")
        let lookupEnded = finished.value.load(ordering: .relaxed)
        #expect(!lookupEnded)
    }

    @Test("a name resolves through the lookup; one that does not resolve is a connect failure naming it")
    func lookup() throws {
        let end = SystemIO.monotonicSeconds() + 5
        let local = try HostResolver.resolve("localhost", port: 8080, until: end)
        #expect(local.first.pointee.ai_addr != nil)
        let failure = #expect(throws: TransportFailure.self) {
            _ = try HostResolver.resolve("bs.example.internal", port: 8080, until: end, lookup: { _, _ in (EAI_NONAME, nil) })
        }
        #expect(failure?.kind == .connect)
        #expect(failure?.detail.hasPrefix("Could not resolve host: bs.example.internal") == true)
    }

    @Test("an address needs no lookup")
    func addressesAreNotLookedUp() throws {
        let end = SystemIO.monotonicSeconds() + 5
        for host in ["127.0.0.1", "::1"] {
            let list = try HostResolver.resolve(host, port: 8080, until: end, lookup: { _, _ in
                Issue.record("\(host) was looked up")
                return (EAI_FAIL, nil)
            })
            #expect(list.first.pointee.ai_family == (host.contains(":") ? AF_INET6 : AF_INET))
        }
    }
}
