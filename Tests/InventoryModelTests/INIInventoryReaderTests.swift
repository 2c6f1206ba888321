import InventoryModel
import Testing

/// INI inventories read as ansible-core 2.19's `ini` plugin reads them.
///
/// Every expectation here is what `ansible-inventory -i FILE --list --export` printed for the
/// same file (ANSIBLE_INVENTORY_ENABLED=ini), or the message it failed with; line numbers are
/// ours (Ansible 2.19 names the file but not the line).
@Suite struct INIInventoryReaderTests {
    @Test func errorsNameTheSourceAndLine() {
        #expect(throws: InventoryError("Expected key=value, got: oops", source: "hosts.ini", location: .line(4))) {
            try INIInventoryReader.read(text: "[g]\nh\n[g:vars]\noops\n", source: "hosts.ini")
        }
    }

    @Test func emptyFileIsAnEmptyInventory() throws {
        let inventory = try INIInventoryReader.read(text: "")
        #expect(inventory.hostNames.isEmpty)
        #expect(Array(inventory.groups.keys) == ["all", "ungrouped"])
    }

    /// The lines before any section are hosts of ungrouped; # and ; lines are comments.
    @Test func ungroupedHostsCommentsAndSections() throws {
        try expectINIExport(
            #"""
            # comment
            ; other comment
            alpha

            beta   # trailing
            [web]
            web1
            [db]
            db1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web", "db"]}, "db": {"hosts": ["db1"]}, "ungrouped": {"hosts": ["alpha", "beta"]}, "web": {"hosts": ["web1"]}}"#
        )
    }

    /// host:port, ranges, IPv6 with a port, IPv4 ranges.
    @Test func portsAndRanges() throws {
        try expectINIExport(
            #"""
            [web]
            web[01:03].example.com:2222
            db-[a:c]
            node[1:10:4]
            [::1]:22
            10.0.0.[1:3]
            fe80::1
            [fe80::[1:2]]:2200
            """#,
            #"{"_meta": {"hostvars": {"::1": {"ansible_port": 22}, "fe80::2": {"ansible_port": 2200}, "web01.example.com": {"ansible_port": 2222}, "web02.example.com": {"ansible_port": 2222}, "web03.example.com": {"ansible_port": 2222}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "web": {"hosts": ["web01.example.com", "web02.example.com", "web03.example.com", "db-a", "db-b", "db-c", "node1", "node5", "node9", "::1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "fe80::1", "fe80::2"]}}"#
        )
    }

    /// an explicit ansible_port wins over host:port.
    @Test func portThenExplicitAnsiblePort() throws {
        try expectINIExport(
            #"""
            h1:22 ansible_port=2222
            h2:0
            """#,
            #"{"_meta": {"hostvars": {"h1": {"ansible_port": 2222}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["h1", "h2"]}}"#
        )
    }

    /// host var values go through shlex, then ast.literal_eval.
    @Test func hostVarTyping() throws {
        try expectINIExport(
            #"""
            h1 i=1 q="1" l='[1, 2]' s="'quoted'" t=True n=None f=1.5 e=1e3 x=0x1F lz=017 w=hello p=/a/b sp="a b" esc=a\ b hash="x # y" d="{'k': (1, 2)}" # comment
            """#,
            #"{"_meta": {"hostvars": {"h1": {"d": {"k": [1, 2]}, "e": 1000.0, "esc": "a b", "f": 1.5, "hash": "x # y", "i": 1, "l": [1, 2], "lz": "017", "n": null, "p": "/a/b", "q": 1, "s": "quoted", "sp": "a b", "t": true, "w": "hello", "x": 31}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["h1"]}}"#
        )
    }

    /// a host seen again joins the group; later vars overwrite, the first port stays.
    @Test func hostVarGivenTwice() throws {
        try expectINIExport(
            #"""
            h1:22 a=1 b=1
            [web]
            h1:23 a=2 c=3
            [db]
            h1 a=3
            """#,
            #"{"_meta": {"hostvars": {"h1": {"a": 3, "ansible_port": 22, "b": 1, "c": 3}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web", "db"]}, "db": {"hosts": ["h1"]}, "web": {"hosts": ["h1"]}}"#
        )
    }

    /// the last value wins.
    @Test func sameKeyTwiceOnOneLine() throws {
        try expectINIExport(
            #"""
            h1 a=1 a=2
            """#,
            #"{"_meta": {"hostvars": {"h1": {"a": 2}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["h1"]}}"#
        )
    }

    /// a section opened again adds to the same group.
    @Test func groupGivenTwice() throws {
        try expectINIExport(
            #"""
            [web]
            a
            [db]
            c
            [web]
            b
            a
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web", "db"]}, "db": {"hosts": ["c"]}, "web": {"hosts": ["a", "b"]}}"#
        )
    }

    /// [all:vars], [ungrouped], [ungrouped:vars] and hosts under [all].
    @Test func allAndUngroupedSections() throws {
        try expectINIExport(
            #"""
            [all:vars]
            x=1
            [ungrouped]
            u1
            [ungrouped:vars]
            y=2
            [all]
            a1
            [web]
            w1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"], "vars": {"x": 1}}, "ungrouped": {"hosts": ["u1", "a1"], "vars": {"y": 2}}, "web": {"hosts": ["w1"]}}"#
        )
    }

    /// [group:vars] may come before [group].
    @Test func varsBeforeDeclaration() throws {
        try expectINIExport(
            #"""
            [web:vars]
            x=1
            [web]
            w1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "web": {"hosts": ["w1"], "vars": {"x": 1}}}"#
        )
    }

    /// children may name groups declared later, nested.
    @Test func childrenDeclaredLater() throws {
        try expectINIExport(
            #"""
            [top:children]
            mid
            [mid:children]
            leaf
            [leaf]
            h1
            [mid]
            h2
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "top"]}, "leaf": {"hosts": ["h1"]}, "mid": {"children": ["leaf"], "hosts": ["h2"]}, "top": {"children": ["mid"]}}"#
        )
    }

    /// children of groups already declared.
    @Test func childrenOfExistingGroups() throws {
        try expectINIExport(
            #"""
            [a]
            h1
            [b]
            h2
            [p:children]
            a
            b # comment
            [p:vars]
            v=1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "a": {"hosts": ["h1"]}, "all": {"children": ["ungrouped", "p"]}, "b": {"hosts": ["h2"]}, "p": {"children": ["a", "b"], "vars": {"v": 1}}}"#
        )
    }

    /// [group:vars] lines split on the first '=' without shlex.
    @Test func groupVarsLines() throws {
        try expectINIExport(
            #"""
            [web]
            h1
            [web:vars]
            d = {'a': [1, (2, 3)]}  # comment
            w = hello world
            c = 'a' 'b'
            empty =
            = 5
            k==v
            q = "quoted" # not a comment for a string
            h = hello # kept
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "web": {"hosts": ["h1"], "vars": {"": 5, "c": "ab", "d": {"a": [1, [2, 3]]}, "empty": "", "h": "hello # kept", "k": "=v", "q": "quoted", "w": "hello world"}}}"#
        )
    }

    /// ansible_group_priority is the group's priority.
    @Test func groupPriority() throws {
        try expectINIExport(
            #"""
            [web]
            h1
            [web:vars]
            ansible_group_priority=5
            [db]
            h1
            [db:vars]
            ansible_group_priority=1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web", "db"]}, "db": {"hosts": ["h1"]}, "web": {"hosts": ["h1"], "vars": {"ansible_group_priority": 5}}}"#
        )
    }

    /// sections may carry a trailing comment.
    @Test func sectionTrailingComments() throws {
        try expectINIExport(
            #"""
            [web]  # the web servers
            h1
            [web:vars]# c
            x=1
            [p:children] # c
            web
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "p"]}, "p": {"children": ["web"]}, "web": {"hosts": ["h1"], "vars": {"x": 1}}}"#
        )
    }

    /// invalid characters in group names are kept (TRANSFORM_INVALID_GROUP_CHARS=never).
    @Test func invalidGroupCharacters() throws {
        try expectINIExport(
            #"""
            [web-servers]
            h1
            [1db]
            h2
            """#,
            #"{"1db": {"hosts": ["h2"]}, "_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web-servers", "1db"]}, "web-servers": {"hosts": ["h1"]}}"#,
            warnings: ["Invalid characters were found in group names but not replaced, use -vvvv to see details"])
    }

    /// names that are no valid address stay whole, port and all.
    @Test func oddButLegalNames() throws {
        try expectINIExport(
            #"""
            _host
            host_1
            host-
            host-:22
            web[1:2]x[a:b]
            ünïcode.example
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["_host", "host_1", "host-", "host-:22", "web1xa", "web1xb", "web2xa", "web2xb", "\u00fcn\u00efcode.example"]}}"#
        )
    }

    /// CRLF and other Python line breaks.
    @Test func windowsLineEndings() throws {
        try expectINIExport(
            "h1\r\n[web]\r\nh2\r\nh3\u{0C}h4\n",
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "ungrouped": {"hosts": ["h1"]}, "web": {"hosts": ["h2", "h3", "h4"]}}"#
        )
    }

    /// shlex quoting applies to the host pattern too.
    @Test func quotedHostName() throws {
        try expectINIExport(
            #"""
            'h 1' a=1
            "h2"
            """#,
            #"{"_meta": {"hostvars": {"h 1": {"a": 1}}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["h 1", "h2"]}}"#
        )
    }

    /// a host listed twice in a group is there once.
    @Test func sameHostTwiceInGroup() throws {
        try expectINIExport(
            #"""
            [web]
            h1
            h1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "web": {"hosts": ["h1"]}}"#
        )
    }

    /// letter ranges with steps, multi-letter begin, descending numeric step.
    @Test func stepsAndLetters() throws {
        try expectINIExport(
            #"""
            l[a:e:2]
            m[ab:cd]
            n[3:1:-1]
            o[a:c:-1]
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped"]}, "ungrouped": {"hosts": ["la", "lc", "le", "ma", "mb", "mc", "n3"]}}"#
        )
    }

    /// [group:hosts] is the same as [group].
    @Test func explicitHostsSectionType() throws {
        try expectINIExport(
            #"""
            h1
            [web:hosts]
            w1
            """#,
            #"{"_meta": {"hostvars": {}, "profile": "inventory_legacy"}, "all": {"children": ["ungrouped", "web"]}, "ungrouped": {"hosts": ["h1"]}, "web": {"hosts": ["w1"]}}"#
        )
    }
}

/// Reads `ini` and compares its export form with Ansible's output, keys in any order.
func expectINIExport(
    _ ini: String, _ ansibleJSON: String, warnings: [String] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let inventory = try INIInventoryReader.read(text: ini, source: "test.ini")
    let expected = try JSONParser.parse(ansibleJSON)
    #expect(
        sortedINIKeys(inventory.scriptJSON(form: .export)) == sortedINIKeys(expected), sourceLocation: sourceLocation)
    #expect(inventory.warnings == warnings, sourceLocation: sourceLocation)
}

/// Expects Ansible's message (ours may add detail after it), the source and the line.
func expectINIError(
    _ ini: String, _ ansibleMessage: String, line: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    do {
        let inventory = try INIInventoryReader.read(text: ini, source: "test.ini")
        Issue.record("expected an error, read \(inventory.hostNames)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.message.hasPrefix(ansibleMessage), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.source == "test.ini", sourceLocation: sourceLocation)
        #expect(error.location == .line(line), sourceLocation: sourceLocation)
    }
}

func sortedINIKeys(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let o):
        var sorted = JSONObject()
        for key in o.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            sorted[key] = sortedINIKeys(o[key]!)
        }
        return .object(sorted)
    case .array(let a): return .array(a.map(sortedINIKeys))
    default: return value
    }
}
