@testable import InventoryModel
import Testing

/// `HostRange.expand` (with `HostAddress.parse`) against ansible-core 2.19's
/// `BaseFileInventoryPlugin._expand_hostpattern`: every row is what Ansible returned (hosts
/// and port) or the error it raised for the same pattern.
@Suite struct HostRangeTests {
    static let expansions: [(String, [String], Int?)] = [
        (
            "web[01:50].example.com",
            [
                "web01.example.com", "web02.example.com", "web03.example.com", "web04.example.com", "web05.example.com",
                "web06.example.com", "web07.example.com", "web08.example.com", "web09.example.com", "web10.example.com",
                "web11.example.com", "web12.example.com", "web13.example.com", "web14.example.com", "web15.example.com",
                "web16.example.com", "web17.example.com", "web18.example.com", "web19.example.com", "web20.example.com",
                "web21.example.com", "web22.example.com", "web23.example.com", "web24.example.com", "web25.example.com",
                "web26.example.com", "web27.example.com", "web28.example.com", "web29.example.com", "web30.example.com",
                "web31.example.com", "web32.example.com", "web33.example.com", "web34.example.com", "web35.example.com",
                "web36.example.com", "web37.example.com", "web38.example.com", "web39.example.com", "web40.example.com",
                "web41.example.com", "web42.example.com", "web43.example.com", "web44.example.com", "web45.example.com",
                "web46.example.com", "web47.example.com", "web48.example.com", "web49.example.com", "web50.example.com",
            ], nil
        ),
        ("db-[a:f]", ["db-a", "db-b", "db-c", "db-d", "db-e", "db-f"], nil),
        ("node[1:10:2]", ["node1", "node3", "node5", "node7", "node9"], nil),
        ("h[0:5]", ["h0", "h1", "h2", "h3", "h4", "h5"], nil),
        ("h[:3]", ["h0", "h1", "h2", "h3"], nil),
        ("rack[1:2]-node[a:b]", ["rack1-nodea", "rack1-nodeb", "rack2-nodea", "rack2-nodeb"], nil),
        ("host:2222", ["host"], 2222),
        ("[::1]:22", ["::1"], 22),
        ("10.0.0.[1:3]", ["10.0.0.1", "10.0.0.2", "10.0.0.3"], nil),
        ("10.0.0.[1:3]:2222", ["10.0.0.1", "10.0.0.2", "10.0.0.3"], 2222),
        ("web[1:3]:22", ["web1", "web2", "web3"], 22),
        ("[fe80::[a:c]]:22", ["fe80::a", "fe80::b", "fe80::c"], 22),
        ("fe80::1", ["fe80::1"], nil),
        ("::", ["::"], nil),
        ("::ffff:192.0.2.3", ["::ffff:192.0.2.3"], nil),
        ("1:2:3:4:5:6:7:8", ["1:2:3:4:5:6:7:8"], nil),
        ("1:2:3:4:5:6:7::", ["1:2:3:4:5:6:7::"], nil),
        ("::1:2:3:4:5:6:7", ["::1:2:3:4:5:6:7"], nil),
        ("0:0:0:0:0:0:1.2.3.4", ["0:0:0:0:0:0:1.2.3.4"], nil),
        ("1::2:1.2.3.4", ["1::2:1.2.3.4"], nil),
        ("[1:2]:22", ["1"], 2),
        ("host-", ["host-"], nil),
        ("host-:22", ["host-:22"], nil),
        ("_x", ["_x"], nil),
        ("x_", ["x_"], nil),
        ("a..b", ["a..b"], nil),
        ("münchen.example", ["münchen.example"], nil),
        ("h[ab:cd]", ["ha", "hb", "hc"], nil),
        ("h[a:e:-1]", [], nil),
        ("h[5:1:-2]", ["h5", "h3"], nil),
        ("h[-2:1]", ["h-2", "h-1", "h0", "h1"], nil),
        ("h[01:10:3]", ["h01", "h04", "h07", "h10"], nil),
        ("h[1:3]x[1:2]", ["h1x1", "h1x2", "h2x1", "h2x2", "h3x1", "h3x2"], nil),
        (
            "h[a:C]",
            [
                "ha", "hb", "hc", "hd", "he", "hf", "hg", "hh", "hi", "hj", "hk", "hl", "hm", "hn", "ho", "hp", "hq",
                "hr", "hs", "ht", "hu", "hv", "hw", "hx", "hy", "hz", "hA", "hB", "hC",
            ], nil
        ),
        ("h:99999", ["h"], 99999),
        ("e[0:2]:", ["e0:", "e1:", "e2:"], nil),
        ("EXAMPLE.com:22", ["EXAMPLE.com"], 22),
        ("a-b.c_d:8080", ["a-b.c_d"], 8080),
        ("[::ffff:1.2.3.4]:22", ["::ffff:1.2.3.4"], 22),
        ("[1:2:3:4:5:6:7:8]:22", ["1:2:3:4:5:6:7:8"], 22),
        ("[0:0:0:0:0:0:1.2.3.4]:22", ["0:0:0:0:0:0:1.2.3.4"], 22),
        ("[1:2:3:4:5:6::7]:22", ["1:2:3:4:5:6::7"], 22),
        ("[web1]:22", ["web1"], 22),
    ]

    /// Ansible's message where it raises AnsibleError; "" where Python itself fails
    /// (ValueError from `range()` or tuple unpacking), which we report in our own words.
    static let failures: [(String, String)] = [
        ("web[01:5]", "host range must specify equal-length begin and end formats"),
        ("h[z:a]", "host range must have begin <= end"),
        ("h[1:2:0]", ""),
        ("h[1]", "host range must be begin:end or begin:end:step"),
        ("h[1:2", ""),
        ("h]x[1:2]", "host range must be begin:end or begin:end:step"),
        ("[::1]", "host range must specify end value"),
        ("[1:2:3:4:5:6:7::]:22", "host range must be begin:end or begin:end:step"),
        ("[1::2:1.2.3.4]:22", "host range must be begin:end or begin:end:step"),
        ("[::1:2:3:4:5:6:7]:22", "host range must be begin:end or begin:end:step"),
        ("[fe80::1%eth0]:22", "host range must specify end value"),
    ]

    @Test(arguments: expansions)
    func expandsAsAnsible(_ pattern: String, _ hosts: [String], _ port: Int?) throws {
        let result = try HostRange.expand(pattern)
        #expect(result.hosts == hosts)
        #expect(result.port == port)
    }

    @Test(arguments: failures)
    func failsAsAnsible(_ pattern: String, _ ansibleMessage: String) {
        do {
            let result = try HostRange.expand(pattern)
            Issue.record("expected an error, got \(result)")
        } catch {
            #expect(error.message.hasPrefix(ansibleMessage), "\(error.message)")
        }
    }

    @Test func addressesParseAsAnsible() {
        #expect(HostAddress.parse("host:2222") == HostAddress(host: "host", port: 2222))
        #expect(HostAddress.parse("[::1]:22") == HostAddress(host: "::1", port: 22))
        #expect(HostAddress.parse("10.0.0.[1:3]") == HostAddress(host: "10.0.0.[1:3]", port: nil))
        // "Not a valid network hostname" in Ansible.
        #expect(HostAddress.parse("host-") == nil)
        #expect(HostAddress.parse("a..b") == nil)
        #expect(HostAddress.parse("[1::2:1.2.3.4]:22") == nil)
    }

    /// Python's `int()`, which reads range bounds and steps.
    @Test func pythonInt() {
        #expect(HostRange.pythonInt(" +1_0 ") == 10)
        #expect(HostRange.pythonInt("-3") == -3)
        #expect(HostRange.pythonInt("007") == 7)
        #expect(HostRange.pythonInt("1__0") == nil)
        #expect(HostRange.pythonInt("_1") == nil)
        #expect(HostRange.pythonInt("a") == nil)
    }
}
