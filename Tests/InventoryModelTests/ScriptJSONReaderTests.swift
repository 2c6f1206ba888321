import Testing
@testable import InventoryModel

// The script JSON reader collects hosts apart from the inventory and applies `_meta.hostvars`
// at the end; these pin the Ansible behaviour that must survive that (checked against
// ansible-core 2.19.14, `ansible-inventory -i script --list --export`, where the script form
// allows it; dict-form `hosts` is BatchSource's extension).

private func read(_ json: String) throws(InventoryError) -> Inventory {
    try ScriptJSONReader.read(text: json, source: "inv.json")
}

private func readError(_ json: String) -> InventoryError? {
    do {
        _ = try read(json)
        return nil
    } catch {
        return error
    }
}

extension Inventory {
    fileprivate func hostsOf(_ group: String) -> [String] { groups[group]!.hostIndices.map { hosts.keys[$0] } }
    fileprivate func groupsOf(host: String) -> [String] { hosts[host]!.groupIndices.map { groups.keys[$0] } }
}

@Suite("Script JSON reader (ansible-core script plugin)")
struct ScriptJSONReaderTests {
    static let groupsThenMeta = """
        {"web": {"hosts": ["w1", "shared", "w1"], "vars": {"tier": "front"}},
         "db": {"hosts": ["shared"]},
         "web2": ["web", "w2"],
         "_meta": {"hostvars": {"shared": {"s": true}, "nowhere": {"z": 1}, "web": {"from_meta": 1},
                                "w1": {"b": 1, "a": 2}}}}
        """
    static let metaThenGroups = """
        {"_meta": {"hostvars": {"shared": {"s": true}, "nowhere": {"z": 1}, "web": {"from_meta": 1},
                                "w1": {"b": 1, "a": 2}}},
         "web": {"hosts": ["w1", "shared", "w1"], "vars": {"tier": "front"}},
         "db": {"hosts": ["shared"]},
         "web2": ["web", "w2"]}
        """

    @Test(
        "hosts in inventory order, one membership per group, host vars from _meta",
        arguments: [groupsThenMeta, metaThenGroups])
    func hostsAndHostvars(json: String) throws {
        let inv = try read(json)
        #expect(Array(inv.hosts.keys) == ["w1", "shared", "web", "w2"])
        #expect(inv.hostsOf("web") == ["w1", "shared"])
        #expect(inv.groupsOf(host: "shared") == ["web", "db"])
        #expect(inv.hosts["w1"]!.vars == ["b": 1, "a": 2])
        #expect(Array(inv.hosts["w1"]!.vars.keys) == ["b", "a"])
        #expect(inv.hosts["shared"]!.vars == ["s": true])
        // A host of no group is not in the inventory, even with host vars.
        #expect(inv.hosts["nowhere"] == nil)
        // Host vars for a name that is also a group go to the group, as in Ansible.
        #expect(inv.hosts["web"]!.vars.isEmpty)
        #expect(inv.groups["web"]!.vars == ["tier": "front", "from_meta": 1])
        #expect(inv.hostsOf("ungrouped").isEmpty)
    }

    @Test("vars given with dict-form hosts, then _meta.hostvars: later values win, first places kept")
    func dictFormThenHostvars() throws {
        let inv = try read(
            """
            {"db": {"hosts": {"d1": {"role": "db", "x": 1}, "d2": null}},
             "_meta": {"hostvars": {"d1": {"x": 2, "y": 3}, "d2": {"only": "meta"}}}}
            """)
        #expect(Array(inv.hosts["d1"]!.vars.keys) == ["role", "x", "y"])
        #expect(inv.hosts["d1"]!.vars == ["role": "db", "x": 2, "y": 3])
        #expect(inv.hosts["d2"]!.vars == ["only": "meta"])
    }

    @Test("many hosts: every membership and every host's vars land on the right host")
    func manyHosts() throws {
        let count = 3000
        let names = (0..<count).map { "host-\($0).example.com" }
        let racks = stride(from: 0, to: count, by: 100).map { start in
            "\"rack\(start / 100)\": {\"hosts\": ["
                + names[start..<start + 100].map { "\"\($0)\"" }.joined(separator: ", ") + "]}"
        }
        let odd =
            "\"odd\": {\"hosts\": ["
            + names.indices.filter { $0 % 2 == 1 }.reversed().map { "\"\(names[$0])\"" }.joined(separator: ", ") + "]}"
        let hostvars = names.indices.reversed().map { "\"\(names[$0])\": {\"n\": \($0)}" }.joined(separator: ", ")
        let inv = try read(
            "{" + racks.joined(separator: ", ") + ", " + odd + ", \"_meta\": {\"hostvars\": {" + hostvars + "}}}")
        #expect(Array(inv.hosts.keys) == names)
        for (i, name) in names.enumerated() {
            #expect(inv.hosts[name]!.vars == ["n": .int(i)])
            #expect(inv.groupsOf(host: name) == (i % 2 == 1 ? ["rack\(i / 100)", "odd"] : ["rack\(i / 100)"]))
        }
        #expect(inv.hostsOf("odd").first == names[count - 1])
        #expect(inv.hosts.index(forKey: names[1234]) == 1234)
    }

    @Test("errors keep their paths")
    func errors() {
        #expect(
            readError(#"{"web": {"hosts": ["a", ""]}}"#)?.description
                == "inv.json:$.web.hosts[1]: Invalid empty host name provided: ")
        #expect(
            readError(#"{"web": ["a"], "_meta": {"hostvars": {"a": [1]}}}"#)?.description
                == "inv.json:$._meta.hostvars.a: Invalid data from file, expected dictionary and got list")
        #expect(
            readError(#"{"web": {"hosts": {"a b": 3}}}"#)?.description
                == "inv.json:$.web.hosts[\"a b\"]: host vars must be a dict, got int")
    }
}
