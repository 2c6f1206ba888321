import InventoryModel
import Testing

/// Setting a host's vars at once means what setting them one by one means.
@Suite("Host variables set at once")
struct InventoryVariablesTests {
    @Test("a host without vars takes the object whole; one with vars gets each key set in order")
    func setAtOnce() throws {
        var bulk = Inventory()
        var single = Inventory()
        try bulk.addHost("web1")
        try bulk.addHost("db1", port: 2222)
        try single.addHost("web1")
        try single.addHost("db1", port: 2222)
        let vars: JSONObject = ["b": 1, "a": "x", "ansible_port": 22]
        try bulk.setHostVariables("web1", vars)
        try bulk.setHostVariables("db1", vars)
        for (key, value) in vars {
            try single.setHostVariable("web1", key, value)
            try single.setHostVariable("db1", key, value)
        }
        #expect(bulk.hosts["web1"]?.vars == single.hosts["web1"]?.vars)
        #expect(bulk.hosts["db1"]?.vars == single.hosts["db1"]?.vars)
        #expect(Array(bulk.hosts["db1"]?.vars.keys ?? []) == ["ansible_port", "b", "a"])
        #expect(throws: InventoryError.self) { try bulk.setHostVariables("nope", vars) }
    }

    @Test("ansible_group_priority: a float is truncated as int() does; one beyond Int is an error, not a trap")
    func priorityFromFloat() throws {
        var inventory = Inventory()
        try inventory.addGroup("web")
        try inventory.setVariable("web", "ansible_group_priority", .double(7.9))
        #expect(inventory.groups["web"]?.priority == 7)
        #expect(throws: InventoryError.self) {
            try inventory.setVariable("web", "ansible_group_priority", .double(1e20))
        }
        #expect(inventory.groups["web"]?.priority == 7)
    }

    @Test(
        "all made a child of a group: ansible-core's loop error from every reader, not a trap",
        arguments: [
            (InventoryFormat.ini, "[web]\na\n[web:children]\nall\n"),
            (InventoryFormat.yaml, "web:\n  hosts: {a: }\n  children:\n    all:\n"),
            (InventoryFormat.json, #"{"web": {"hosts": ["a"], "children": ["all"]}}"#),
        ])
    func allAsChild(format: InventoryFormat, text: String) throws {
        let error = try #require(throws: InventoryError.self) {
            try Inventory.read(text: text, format: format, source: "loop")
        }
        #expect(
            "\(error)".contains("Adding group 'web' as child to 'all' creates a recursive dependency loop."), "\(error)"
        )
    }
}
