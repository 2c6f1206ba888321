import InventoryModel
import Testing

/// Expectations below were produced by ansible-core 2.19.14 (`InventoryManager.get_hosts(p)`
/// on this same inventory, fed as an inventory script). The inventory has a host and a group
/// both named `web1`, nested groups and a host that is in two groups, to exercise Ansible's odd
/// cases. Group order in ansible-core: all, ungrouped, web, db, lb, web1, webextra.
@Suite("Host patterns, as ansible-core evaluates them")
struct HostPatternTests {
    static let inventoryJSON = """
        {
         "_meta": {"hostvars": {}},
         "all": {"children": ["ungrouped", "web", "db", "lb", "web1"], "hosts": ["zeta"]},
         "ungrouped": {"hosts": ["loner"]},
         "web": {"hosts": ["web3", "web1", "web2", "www.example.com"], "children": ["webextra"]},
         "webextra": {"hosts": ["web10", "db1"]},
         "db": {"hosts": ["db1", "db2", "web1"]},
         "lb": {"hosts": ["lb.example.com", "Web9"]},
         "web1": {"hosts": ["web1grouphost"]}
        }
        """
    static let inventory = try! ScriptJSONReader.read(text: inventoryJSON)
    static let everyone = [
        "zeta", "loner", "web3", "web1", "web2", "www.example.com", "db1", "db2",
        "lb.example.com", "Web9", "web1grouphost", "web10",
    ]

    func names(_ pattern: String) throws -> [String] {
        try HostPattern(pattern).evaluate(in: Self.inventory).map { Self.inventory.hosts.keys[$0] }
    }

    @Test func groupOrderMatchesAnsible() {
        #expect(Array(Self.inventory.groups.keys) == ["all", "ungrouped", "web", "db", "lb", "web1", "webextra"])
    }

    static let cases: [(String, [String])] = [
        // `all`, the empty pattern and catch-all globs/regexes: `all`'s breadth-first order.
        ("all", everyone), ("", everyone), ("*", everyone), ("~", everyone),
        ("al*", everyone),  // `all` is a group name globs can match
        ("[a-d]*", everyone),
        // Groups, in the group's get_hosts() order (own hosts, then child groups).
        ("web", ["web3", "web1", "web2", "www.example.com", "web10", "db1"]),
        ("ungrouped", ["loner", "zeta"]), ("ungr*", ["loner", "zeta"]),
        // Unions keep first-seen order; `:` `,` and whitespace all separate.
        ("web:db", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "db2"]),
        ("web,db", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "db2"]),
        ("web db", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "db2"]),
        (" web , db ", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "db2"]),
        ("db:web", ["db1", "db2", "web1", "web3", "web2", "www.example.com", "web10"]),
        ("db1:db2", ["db1", "db2"]),
        // With a comma, colons do not split: `web:db` is one (unmatched) pattern.
        ("web:db,lb", ["lb.example.com", "Web9"]),
        // A valid host:port address is one pattern too, and matches no host named `host`.
        ("host:22", []),
        // Intersection and exclusion; `&`/`!` apply after all plain patterns, wherever written.
        ("web:&db", ["web1", "db1"]),
        ("!web1:web:&db", ["web1", "db1"]),
        // `!web1` names the *group* web1 (a group wins over the host of the same name), so the
        // host web1 stays.
        ("web:&db:!web1", ["web1", "db1"]),
        ("&db:!web1grouphost", ["web1", "db1", "db2"]),
        // Only `!`/`&`: `all` comes first.
        ("!web", ["zeta", "loner", "db2", "lb.example.com", "Web9", "web1grouphost"]),
        ("&web", ["web3", "web1", "web2", "www.example.com", "db1", "web10"]),
        // A pattern equal to a host name selects the host without looking at groups, and
        // comes first when it is written first.
        ("web1", ["web1"]), ("web1,db", ["web1", "db1", "db2"]), ("db,web1", ["db1", "db2", "web1"]),
        ("web1grouphost:web1", ["web1grouphost", "web1"]),
        ("lb.example.com", ["lb.example.com"]),
        // Subscripts: inclusive ranges, negative single indices, `[x:]`.
        ("web[0]", ["web3"]), ("web[-1]", ["db1"]), ("web[-6]", ["web3"]),
        ("web[0:1]", ["web3", "web1"]),
        ("web[1:]", ["web1", "web2", "www.example.com", "web10", "db1"]),
        ("web[1-2]", ["web1", "web2"]),  // removed form, still honoured with a warning
        ("web[2:0]", ["web2"]),  // end 0 is falsy in Ansible: a single index
        ("web[3:1]", []), ("web[0:99]", ["web3", "web1", "web2", "www.example.com", "web10", "db1"]),
        ("db[0]:db[-1]", ["db1", "web1"]),
        // The subscript indexes the list *with* duplicates (web, then web1, then webextra's
        // web10/db1 again...), so index 7 is web10 although only 7 distinct hosts match.
        ("w*[7]", ["web10"]),
        ("nomatch[0]", []),
        // Globs match groups and hosts; fnmatch is case-sensitive and whole-name.
        ("*.example.com", ["www.example.com", "lb.example.com"]),
        ("w*", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "web1grouphost"]),
        ("W*", ["Web9"]),
        ("web?", ["web1grouphost", "web3", "web1", "web2"]),
        ("[!w]*", everyone), ("[z-a]*", []), ("[!]*", []),
        // Regexes: re.match, anchored at the start only.
        ("~web\\d+", ["web1grouphost", "web3", "web1", "web2", "web10"]),
        ("~web\\d+$", ["web1grouphost", "web3", "web1", "web2", "web10"]),
        ("~eb", []), ("~WEB", []),
        ("~.*eb", ["web3", "web1", "web2", "www.example.com", "web10", "db1", "web1grouphost", "Web9"]),
        ("~(?i)WEB9", ["Web9"]),
        // `~[` is split to `~` (the unclosed `[` is dropped), an empty regex: everything.
        ("~[", everyone),
        ("nomatch", []),
    ]

    @Test(arguments: cases)
    func matchesAnsible(pattern: String, expected: [String]) throws {
        #expect(try names(pattern) == expected)
    }

    @Test func splitting() {
        #expect(HostPattern.split("a,b[1], c[2:3] , d") == ["a", "b[1]", "c[2:3]", "d"])
        #expect(HostPattern.split("web:&db:!web1") == ["web", "&db", "!web1"])
        #expect(HostPattern.split("web[0:1]:db") == ["web[0:1]", "db"])
        #expect(HostPattern.split("fe80::1") == ["fe80::1"])
        #expect(HostPattern.split("[fe80::1]:22") == ["[fe80::1]:22"])
        #expect(HostPattern.split("10.0.0.[1:9]") == ["10.0.0.[1:9]"])
        #expect(HostPattern.split("web[0") == ["web", "0"])
        #expect(HostPattern.split("web:db,lb") == ["web:db", "lb"])
    }

    @Test func evaluationOrderPutsPlainPatternsFirst() throws {
        let p = try HostPattern("!a:&b:c:!d:e")
        #expect(p.terms.map(\.text) == ["c", "e", "&b", "!a", "!d"])
        #expect(try HostPattern("!a").terms.map(\.text) == ["all", "!a"])
        #expect(try HostPattern("web[1:]").terms[0].selection == .range(start: 1, end: nil))
        #expect(try HostPattern("web[-2]").terms[0].selection == .index(-2))
    }

    @Test func outOfRangeSubscriptIsAnsiblesError() {
        for pattern in ["web[9]", "web[-7]", "web[12]", "web[99999999999999999999]"] {
            #expect(throws: InventoryError("No hosts matched the subscripted pattern '\(pattern)'")) {
                try names(pattern)
            }
        }
        #expect(throws: InventoryError("No hosts matched the subscripted pattern 'web[9]'")) { try names("db:!web[9]") }
    }

    @Test func warnings() throws {
        var warnings: [String] = []
        _ = try HostPattern("nomatch,web[1-2]").evaluate(in: Self.inventory, warnings: &warnings)
        #expect(
            warnings == [
                "Use [x:y] inclusive subscripts instead of [x-y] which has been removed",
                "Could not match supplied host pattern, ignoring: nomatch",
            ])
        warnings = []
        _ = try HostPattern("web:db,lb").evaluate(in: Self.inventory, warnings: &warnings)
        #expect(warnings == ["Could not match supplied host pattern, ignoring: web:db"])
    }

    @Test func invalidPatterns() {
        #expect(throws: InventoryError.self) { try HostPattern("~(") }
        do {
            _ = try HostPattern("~web(")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("Invalid host list pattern: ~web("))
        }
        // ansible-core crashes with IndexError on a bare `!` or `&`.
        #expect(throws: InventoryError.self) { try HostPattern("!") }
        #expect(throws: InventoryError.self) { try HostPattern("web:&") }
        #expect(throws: InventoryError.self) { try HostPattern("@hosts.txt") }
    }

    @Test func hostNamedLikeAGlobOrRegexShortCircuits() throws {
        var inv = Inventory()
        try inv.addHost("h*")
        try inv.addHost("h1")
        try inv.reconcile()
        // `h*` is a host name: only that host, not every h-host.
        #expect(try HostPattern("h*").evaluate(in: inv) == [0])
        #expect(try HostPattern("h?").evaluate(in: inv) == [0, 1])
    }

    @Test func namesCompareByCodePoint() throws {
        var inv = Inventory()
        try inv.addHost("caf\u{E9}")
        try inv.reconcile()
        // Python dict keys and fnmatch compare code points: a decomposed é is another name.
        #expect(try HostPattern("cafe\u{301}").evaluate(in: inv) == [])
        #expect(try HostPattern("caf\u{E9}").evaluate(in: inv) == [0])
        #expect(try HostPattern("caf?").evaluate(in: inv) == [0])
    }
}
