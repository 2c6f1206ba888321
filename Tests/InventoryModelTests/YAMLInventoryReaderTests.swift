import Testing
@testable import InventoryModel

// Every expectation below was checked against ansible-core 2.19.14's yaml inventory plugin
// (`ANSIBLE_INVENTORY_ENABLED=yaml ansible-inventory -i FILE --list --export`).

private func read(_ yaml: String) throws -> Inventory {
    try YAMLInventoryReader.read(text: yaml, source: "inv.yml")
}

private func readError(_ yaml: String) -> InventoryError? {
    do {
        _ = try YAMLInventoryReader.read(text: yaml, source: "inv.yml")
        return nil
    } catch {
        return error
    }
}

extension Inventory {
    fileprivate func hostsOf(_ group: String) -> [String] { groups[group]!.hostIndices.map { hosts.keys[$0] } }
    fileprivate func childrenOf(_ group: String) -> [String] { groups[group]!.childIndices.map { groups.keys[$0] } }
    fileprivate func varsOf(host: String) -> JSONObject { hosts[host]!.vars }
}

@Suite("YAML inventory reader (ansible-core yaml plugin)")
struct YAMLInventoryReaderTests {
    @Test("groups, nested children, ranges, ports, string sections, empty groups")
    func structure() throws {
        let inv = try read(
            """
            all:
              vars:
                env: prod
              children:
                web:
                  hosts:
                    web[01:03].example.com:
                      role: web
                    lb:2222:
                    "[::1]:2200":
                      x: 1
                  children:
                    web_eu:
                      hosts:
                        web01.example.com:
                          region: eu
                      children:
                        web_eu_1:
                          hosts: db-[a:c]
                db:
                  hosts:
                    db-a:
                      role: db
                    web02.example.com: {extra: true}
                  vars:
                    port: 5432
            web:
              vars:
                tier: front
              children: db
            other:
              hosts:
                solo:
                  ansible_port: 22
                  ansible_host: 10.0.0.1
            empty:
            nohosts:
              hosts:
              vars:
              children:

            """)
        #expect(inv.warnings.isEmpty)
        #expect(inv.childrenOf("all") == ["ungrouped", "web", "db", "other", "empty", "nohosts"])
        #expect(inv.groups["all"]!.vars == ["env": "prod"])
        #expect(inv.hostsOf("web") == ["web01.example.com", "web02.example.com", "web03.example.com", "lb", "::1"])
        #expect(inv.childrenOf("web") == ["web_eu", "db"])
        #expect(inv.groups["web"]!.vars == ["tier": "front"])
        #expect(inv.childrenOf("web_eu") == ["web_eu_1"])
        #expect(inv.hostsOf("web_eu") == ["web01.example.com"])
        #expect(inv.hostsOf("web_eu_1") == ["db-a", "db-b", "db-c"])
        #expect(inv.hostsOf("db") == ["db-a", "web02.example.com"])
        #expect(inv.groups["db"]!.vars == ["port": 5432])
        #expect(inv.varsOf(host: "web01.example.com") == ["role": "web", "region": "eu"])
        #expect(inv.varsOf(host: "web02.example.com") == ["role": "web", "extra": true])
        #expect(inv.varsOf(host: "lb") == ["ansible_port": 2222])
        #expect(inv.varsOf(host: "::1") == ["ansible_port": 2200, "x": 1])
        #expect(inv.varsOf(host: "solo") == ["ansible_port": 22, "ansible_host": "10.0.0.1"])
        #expect(inv.hostsOf("empty").isEmpty && inv.hostsOf("nohosts").isEmpty)
        #expect(inv.hostsOf("ungrouped").isEmpty)
    }

    @Test("a group named in several places; deep children; duplicate keys warn and the last wins")
    func repeatedGroups() throws {
        let deep = try read(
            """
            a:
              children:
                b:
                  children:
                    c:
                      children:
                        d:
                          hosts: {deep: }
            c:
              hosts: {deep2: }
            a2:
              children:
                c:

            """)
        #expect(deep.childrenOf("all") == ["ungrouped", "a", "a2"])
        #expect(deep.childrenOf("b") == ["c"] && deep.childrenOf("a2") == ["c"])
        #expect(deep.childrenOf("c") == ["d"] && deep.hostsOf("c") == ["deep2"])
        #expect(deep.hostsOf("d") == ["deep"])

        let dup = try read(
            """
            g1:
              hosts: {a: , b: }
            g1:
              hosts: {c: }
            g2:
              hosts:
                a: {x: 1}
                a: {y: 2}
              vars: {p: 1, p: 2}

            """)
        #expect(dup.hostsOf("g1") == ["c"])
        #expect(dup.hostNames == ["c", "a"])
        #expect(dup.varsOf(host: "a") == ["y": 2])
        #expect(dup.groups["g2"]!.vars == ["p": 2])
        #expect(dup.warnings.count == 3)
        #expect(
            dup.warnings.first == "Found duplicate mapping key 'g1' (line 3, column 1). Using last defined value only.")
    }

    @Test("anchors, aliases, merge keys and !unsafe inside an inventory")
    func anchorsAndMerges() throws {
        let inv = try read(
            """
            x: &grp
              hosts:
                h1: &hv {a: 1, b: [1, 2]}
            y:
              <<: *grp
              vars:
                <<: *hv
                c: 3
            z:
              hosts:
                h2:
                  <<: [*hv, {a: 9, d: 4}]
                  e: !unsafe '{{ nope }}'

            """)
        #expect(inv.hostsOf("x") == ["h1"] && inv.hostsOf("y") == ["h1"])
        #expect(inv.groups["y"]!.vars == ["a": 1, "b": [1, 2], "c": 3])
        // Python's dict order after flatten_mapping: the later merged map's keys come first.
        #expect(inv.varsOf(host: "h2") == ["a": 1, "d": 4, "b": [1, 2], "e": ["__ansible_unsafe": "{{ nope }}"]])
        #expect(inv.warnings.count == 1)
    }

    @Test("string sections mean {s: null}; null host data means no vars; empty list is no vars")
    func shorthand() throws {
        let inv = try read("web:\n  hosts: h1\n  children: sub\n  vars: v\nlisty:\n  hosts:\n    h2: []\n")
        #expect(inv.hostsOf("web") == ["h1"])
        #expect(inv.childrenOf("web") == ["sub"])
        #expect(inv.groups["web"]!.vars == ["v": .null])
        #expect(inv.hostsOf("listy") == ["h2"] && inv.varsOf(host: "h2").isEmpty)
    }

    @Test("non-string var keys, ansible_group_priority")
    func varKeys() throws {
        let inv = try read(
            "g:\n  vars:\n    ansible_group_priority: 5\n    x: 1\n  hosts:\n    h:\n      1: a\n      true: b\n     "
                + " ~: c\n"
        )
        #expect(inv.groups["g"]!.priority == 5)
        #expect(inv.groups["g"]!.vars == ["x": 1])
        #expect(inv.varsOf(host: "h") == ["1": "b", "null": "c"])
        #expect(inv.warnings.count == 1)
    }

    @Test("what Ansible skips with a warning")
    func warnings() throws {
        let other = try read("web:\n  hosts: {h1: }\n  foo: {a: 1}\n  bar: [1]\n  baz:\n")
        #expect(
            other.warnings == [
                "Skipping unexpected key (foo) in group (web), only \"vars\", \"children\" and \"hosts\" are valid",
                "Skipping key (bar) in group (web) as it is not a mapping, it is a <class 'list'>",
            ])
        let intKeys = try read("g:\n  hosts: {h: }\n  1: {a: b}\n  2: [x]\n")
        #expect(
            intKeys.warnings == [
                "Skipping unexpected key (1) in group (g), only \"vars\", \"children\" and \"hosts\" are valid",
                "Skipping key (2) in group (g) as it is not a mapping, it is a <class 'list'>",
            ])
        let badGroup = try read("web: [h1]\nok:\n  hosts: {h2: }\n")
        #expect(badGroup.warnings == ["Skipping 'web' as this is not a valid group definition"])
        #expect(badGroup.groups["web"] == nil && badGroup.hostsOf("ok") == ["h2"])
        let plugin = try read("g:\n  hosts: {h: }\nplugin: \"\"\n")
        #expect(plugin.warnings == ["Skipping 'plugin' as this is not a valid group definition"])
        // An invalid child definition is skipped, but the name is still added as a child if known.
        let known = try read("h:\n  hosts: {h: }\ng:\n  children:\n    h: [1]\n")
        #expect(known.warnings == ["Skipping 'h' as this is not a valid group definition"])
        #expect(known.childrenOf("g") == ["h"])
    }

    @Test(
        "top-level errors",
        arguments: [
            ("", "Parsed empty YAML file"),
            ("---\n", "Parsed empty YAML file"),
            ("{}\n", "Parsed empty YAML file"),
            ("- a\n- b\n", "YAML inventory has invalid structure, it should be a dictionary, got: <class 'list'>"),
            ("hello\n", "YAML inventory has invalid structure, it should be a dictionary, got: <class 'str'>"),
            ("plugin: foo\n", "Plugin configuration YAML file, not YAML inventory"),
        ])
    func topLevelErrors(_ yaml: String, _ message: String) {
        let error = readError(yaml)
        #expect(error?.message == message)
        #expect(error?.source == "inv.yml")
    }

    @Test(
        "errors name what was expected and where",
        arguments: [
            (
                "web:\n  hosts: [h1]\n",
                "Invalid \"hosts\" entry for \"web\" group, requires a dictionary, found \"<class 'list'>\" instead.", 2
            ),
            (
                "web:\n  vars: 5\n",
                "Invalid \"vars\" entry for \"web\" group, requires a dictionary, found \"<class 'int'>\" instead.", 2
            ),
            ("web:\n  hosts:\n    h1: 5\n", "Invalid data from file, expected dictionary and got:\n\n5", 3),
            ("web:\n  hosts:\n    h1: abc\n", "Invalid data from file, expected dictionary and got:\n\nabc", 3),
            (
                "1:\n  hosts: {h1: }\n",
                "Unable to add group 1: Invalid group name supplied, expected a string but got <class 'int'> for 1", 1
            ),
            (
                "web:\n  children:\n    1:\n",
                "Unable to add group 1: Invalid group name supplied, expected a string but got <class 'int'> for 1", 3
            ),
            (
                "true:\n  hosts: {h: }\n",
                "Unable to add group True: Invalid group name supplied, expected a string but got <class 'bool'> for "
                    + "True",
                1
            ),
            ("~:\n  hosts: {h: }\n", "Unable to add group None: Invalid empty/false group name provided: None", 1),
            ("\"\":\n  hosts: {h: }\n", "Unable to add group : Invalid empty/false group name provided: ", 1),
            (
                "web:\n  hosts:\n    1:\n",
                "Host pattern 1 must be a string. Enclose integers/floats in quotation marks.", 3
            ),
            (
                "web:\n  hosts:\n    ~:\n",
                "Host pattern None must be a string. Enclose integers/floats in quotation marks.", 3
            ),
            ("g:\n  hosts:\n    \"\":\n", "Invalid empty host name provided: ", 3),
            ("web:\n  children:\n    sub: [1]\n", "sub is not a known host nor group", 3),
            (
                "a:\n  children:\n    b:\n      children:\n        a:\n",
                "Adding group 'b' as child to 'a' creates a recursive dependency loop.", 3
            ),
            (
                "a:\n  vars:\n    x: !!int abc\n", "YAML parsing failed: invalid literal for int() with base 10: 'abc'",
                3
            ),
            (
                "a:\n  hosts:\n    h1: {x: [1, 2}\n",
                "YAML parsing failed: While parsing a flow sequence did not find expected ',' or ']'.", 3
            ),
            (
                "a:\n  hosts: {h1: }\n---\nb:\n",
                "YAML parsing failed: Expected a single document in the stream but found another document.", 3
            ),
        ])
    func errors(_ yaml: String, _ message: String, _ line: Int) {
        let error = readError(yaml)
        #expect(error?.message == message)
        #expect(error?.source == "inv.yml")
        if case .line(let l, _)? = error?.location {
            #expect(l == line)
        } else {
            Issue.record("no line in \(String(describing: error))")
        }
    }

    @Test("host ranges that Ansible rejects")
    func badRange() {
        let error = readError("g:\n  hosts:\n    \"web[1:]\":\n")
        #expect(error?.message.hasPrefix("host range must specify end value") == true)
        #expect(error?.location == .line(3, column: 5))
    }

    @Test("JSON in the YAML plugin's shape is read as JSON first, as Ansible does")
    func jsonInput() throws {
        let inv = try read(#"{"a": {"hosts": {"h1": {"x": 1e3, "z": 1, "z": 2}}}}"#)
        #expect(inv.hostsOf("a") == ["h1"])
        #expect(inv.varsOf(host: "h1") == ["x": .double(1000), "z": 2])
        #expect(inv.warnings.isEmpty)
    }

    @Test("a byte order mark and a %YAML directive are accepted")
    func preamble() throws {
        #expect(try read("\u{FEFF}g:\n  hosts: {h: }\n").hostsOf("g") == ["h"])
        #expect(try read("%YAML 1.1\n---\ng:\n  hosts: {h: }\n").hostsOf("g") == ["h"])
    }

    @Test("nesting deeper than 512 levels is refused, through aliases too, as the JSON reader refuses it")
    func nestingDepth() throws {
        func vars(_ value: String) -> String { "g:\n  hosts:\n    h:\n      x: \(value)\n" }
        func flow(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        // `x` sits at level 4 (g, hosts, h, and the vars mapping).
        #expect(try read(vars(flow(508))).varsOf(host: "h")["x"] != nil)
        let tooDeep = readError(vars(flow(509)))
        #expect(tooDeep?.message == "YAML parsing failed: nesting deeper than 512 levels.")
        // At the 509th `[`, after the 9 columns of `      x: ` and 508 brackets.
        #expect(tooDeep?.location == .line(4, column: 518))
        #expect(
            readError(vars(String(repeating: "[", count: 300_000)))?.message
                == "YAML parsing failed: nesting deeper than 512 levels.")
        // Each anchor nests the one before 300 levels further down: no level is deep in the text.
        var chain = "g:\n  vars:\n    a0: &a0 1\n"
        for i in 1...3 {
            chain +=
                "    a\(i): &a\(i) " + String(repeating: "[", count: 300) + "*a\(i - 1)"
                + String(repeating: "]", count: 300) + "\n"
        }
        let aliased = readError(chain)
        #expect(aliased?.message == "YAML parsing failed: nesting deeper than 512 levels.")
        // At `*a1` in a2's line: 300 levels deep there, and a1 adds 300 more.
        #expect(aliased?.location == .line(5, column: 313))
        var block = "g:\n  vars:\n"
        for level in 0..<600 { block += String(repeating: " ", count: 4 + 2 * level) + "k\(level):\n" }
        #expect(readError(block)?.message == "YAML parsing failed: nesting deeper than 512 levels.")
    }
}
