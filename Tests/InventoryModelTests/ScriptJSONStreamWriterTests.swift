import Testing
@testable import InventoryModel

// The streaming writer must print exactly what the tree writer prints (the tree form is the one
// the parity tests hold against ansible-inventory): same bytes for both forms, with and without
// a --limit selection, whatever the chunk size.

private let inventories: [(String, InventoryFormat, String)] = [
    (
        "script", .json,
        """
        {"_meta": {"hostvars": {"web1": {"b": 1, "a": [1, 2.5, {"z": null, "y": "\\u00e9\\n"}]}, "db1": {}, "lone": {"x": 1}}},
         "web": {"hosts": ["web1", "web2", "odd \\"name\\"\\t"], "vars": {"tier": "front", "ansible_group_priority": 5},
                 "children": ["web_eu"]},
         "web_eu": {"hosts": ["web2"], "children": {"Zeta": {}}},
         "Zeta": ["db1"],
         "db": {"hosts": ["db1"], "vars": {"ansible_group_priority": 1}},
         "empty": {},
         "all": {"vars": {"env": "prod"}, "children": ["ungrouped"]},
         "ungrouped": {"hosts": ["solo", "web1"]}}
        """
    ),
    ("no host vars", .json, #"{"web": ["a", "b"], "_meta": {"hostvars": {}}}"#),
    (
        "group named _meta and upper-case names", .yaml,
        """
        all:
          children:
            _meta:
              hosts:
                m1: {k: v}
              vars: {shadowed: true}
            AAA:
              hosts:
                Upper: {}
            zzz:
              children:
                _meta:
          hosts:
            top: {direct: 1}
        """
    ),
    (
        "ini", .ini,
        """
        solo ansible_port=2222
        [web]
        web[1:4] role=web
        [db]
        db1 x=1.0e16 y=-0.0 z='quote"d'
        [all:children]
        web
        [web:vars]
        ansible_group_priority=3
        """
    ),
    ("empty", .ini, ""),
]

private func treeText(_ inventory: Inventory, form: InventoryForm, only: Set<Int>?) -> [UInt8] {
    var bytes: [UInt8] = []
    JSONWriter().write(inventory.scriptJSON(form: form, only: only), into: &bytes)
    return bytes
}

@Suite("Streaming script JSON writer")
struct ScriptJSONStreamWriterTests {
    @Test("same bytes as the tree writer", arguments: inventories.indices)
    func sameBytes(case index: Int) throws {
        let (name, format, text) = inventories[index]
        let inventory = try Inventory.read(text: text, format: format, source: name)
        let everyOther = Set(stride(from: 0, to: inventory.hosts.count, by: 2))
        for form in [InventoryForm.export, .merged] {
            for only in [nil, everyOther, Set<Int>()] {
                let expected = treeText(inventory, form: form, only: only)
                #expect(
                    inventory.scriptJSONBytes(form: form, only: only) == expected,
                    "\(name), \(form), only \(only.map { "\($0.sorted())" } ?? "all")")
                var chunks: [[UInt8]] = []
                inventory.writeScriptJSON(form: form, only: only, chunkSize: 7) { chunks.append($0) }
                #expect(chunks.count > 1)
                #expect(chunks.joined().elementsEqual(expected), "\(name), \(form), in chunks")
            }
        }
    }

    @Test("group vars, _meta and the hosts of an --export document")
    func shape() throws {
        let inventory = try Inventory.read(text: inventories[0].2, format: .json, source: "inv.json")
        let text = String(decoding: inventory.scriptJSONBytes(form: .export), as: UTF8.self)
        let document = try JSONParser.parse(text)
        let top = try #require(document.objectValue)
        // Code point order: upper case, then `_meta`, then lower case.
        #expect(Array(top.keys) == ["Zeta", "_meta", "all", "db", "empty", "ungrouped", "web", "web_eu"])
        let hostvars = try #require(top["_meta"]?.objectValue?["hostvars"]?.objectValue)
        // `lone` is in no group, so not in the inventory; `db1` has no vars.
        #expect(Array(hostvars.keys) == ["web1"])
        #expect(top["web"]?.objectValue?["vars"]?.objectValue?["ansible_group_priority"] == 5)
        #expect(top["db"]?.objectValue?["vars"] == nil)
        #expect(text.contains("\"odd \\\"name\\\"\\t\""))
    }
}
