@testable import InventoryScriptKit
import Testing

/// Which transport a run takes (the built-in client only where libcurl would surely connect
/// directly), and how the built-in client reads a service address.
@Suite("inventory-script transport selection")
struct TransportSelectionTests {
    static func choice(_ url: String, _ environment: [String: String] = [:]) throws -> TransportSelection.Choice {
        TransportSelection.choose(try ServiceURL(url, origin: "test"), environment: environment)
    }

    @Test("http:// without a proxy: built in; https://: libcurl; a proxy variable: libcurl unless no_proxy exempts the host")
    func choose() throws {
        #expect(try Self.choice("http://bs.internal:8080") == .builtIn)
        #expect(try Self.choice("HTTP://bs.internal:8080") == .builtIn)
        #expect(try Self.choice("https://bs.internal:8443") == .libcurl(needs: "https"))
        #expect(try Self.choice("https://bs.internal", ["https_proxy": ""]) == .libcurl(needs: "https"))
        for variable in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
            #expect(try Self.choice("http://bs.internal", [variable: "http://proxy:3128"]) == .libcurl(needs: "http through the proxy in \(variable)"))
        }
        #expect(try Self.choice("http://bs.internal", ["http_proxy": ""]) == .builtIn, "an empty variable is no proxy")
        #expect(try Self.choice("http://bs.internal", ["https_proxy": "http://proxy:3128"]) == .builtIn, "https_proxy is not for http")

        let proxy = ["http_proxy": "http://proxy:3128"]
        #expect(try Self.choice("http://bs.internal", proxy.merging(["no_proxy": "*"]) { $1 }) == .builtIn)
        #expect(try Self.choice("http://bs.internal", proxy.merging(["no_proxy": "localhost, .internal"]) { $1 }) == .builtIn)
        #expect(try Self.choice("http://bs.internal", proxy.merging(["NO_PROXY": "internal"]) { $1 }) == .builtIn)
        #expect(try Self.choice("http://bs.internal", proxy.merging(["no_proxy": "bs.internal.example"]) { $1 }) != .builtIn)
        #expect(try Self.choice("http://xbs.internal", proxy.merging(["no_proxy": "bs.internal"]) { $1 }) != .builtIn, "a suffix is not a domain")
        #expect(try Self.choice("http://127.0.0.1:8080", proxy.merging(["no_proxy": "127.0.0.1"]) { $1 }) == .builtIn)
        #expect(try Self.choice("http://127.0.0.1:8080", proxy.merging(["no_proxy": "0.0.1"]) { $1 }) != .builtIn, "addresses match whole")
        #expect(try Self.choice("http://10.1.2.3", proxy.merging(["no_proxy": "10.0.0.0/8"]) { $1 }) != .builtIn, "CIDR is left to libcurl")
    }

    @Test("service addresses: host, port, Host header and path prefix; credentials dropped")
    func endpoints() throws {
        func endpoint(_ url: String) throws -> HTTPEndpoint { try HTTPEndpoint(try ServiceURL(url, origin: "test")) }
        let plain = try endpoint("http://bs.internal")
        #expect(plain.host == "bs.internal" && plain.port == 80 && plain.hostHeader == "bs.internal" && plain.pathPrefix == "")
        let full = try endpoint("http://user:pw@bs.internal:8080/batches/")
        #expect(full.host == "bs.internal" && full.port == 8080 && full.hostHeader == "bs.internal:8080" && full.pathPrefix == "/batches")
        let v6 = try endpoint("http://[::1]:9000")
        #expect(v6.host == "::1" && v6.port == 9000 && v6.hostHeader == "[::1]:9000")
        #expect(throws: TransportFailure.self) { try endpoint("http://bs.internal:99999") }
        #expect(throws: TransportFailure.self) { try endpoint("http://bs.internal:http") }
        #expect(throws: TransportFailure.self) { try endpoint("https://bs.internal") }
    }

    @Test("a token with a line break is refused without being quoted")
    func tokenLineBreak() throws {
        let options = TransportOptions(service: try ServiceURL("http://bs.internal", origin: "test"), token: "bs_1_secret\r\nX-Evil: 1",
                                       caFile: nil, verifyTLS: true, timeoutSeconds: 1, connectTimeoutSeconds: 1)
        #expect {
            _ = try SocketTransport(options)
        } throws: { error in
            let failure = error as? TransportFailure
            return failure?.kind == .setup && failure?.detail.contains("secret") == false
        }
    }
}
