import Testing
@testable import InventoryModel

// Every expectation below was checked against ansible-core 2.19.14
// (`ansible-inventory -i FILE --list --export`, yaml plugin, PyYAML 6.0.3 with libyaml).

/// The JSON value Ansible exports for `v: <yaml>` in a host's vars.
private func exported(_ yaml: String) throws -> JSONValue {
    let (value, _) = try YAMLLoader.loadYAML("v: " + yaml + "\n")
    guard case .mapping(let entries) = value, let entry = entries.first else {
        Issue.record("not a mapping")
        return .null
    }
    return try entry.value.json()
}

private func loadError(_ yaml: String) -> InventoryError? {
    do {
        _ = try YAMLLoader.load(yaml)
        return nil
    } catch {
        return error
    }
}

@Suite("YAML scalar resolution (PyYAML SafeLoader, YAML 1.1)")
struct YAMLScalarResolutionTests {
    @Test(
        "booleans: yes/no/on/off/true/false in three casings only",
        arguments: [
            ("yes", true), ("Yes", true), ("YES", true), ("No", false), ("NO", false), ("ON", true), ("off", false),
            ("Off", false), ("True", true), ("FALSE", false),
        ] as [(String, Bool)])
    func booleans(_ text: String, _ expected: Bool) throws {
        #expect(try exported(text) == .bool(expected))
    }

    @Test("not booleans: y, n, mixed casing", arguments: ["y", "n", "yES", "oN", "tRUE"])
    func notBooleans(_ text: String) throws {
        #expect(try exported(text) == .string(text))
    }

    @Test("null: ~, null, Null, NULL and empty", arguments: ["~", "null", "Null", "NULL", ""])
    func nulls(_ text: String) throws {
        #expect(try exported(text) == .null)
    }

    @Test(
        "ints",
        arguments: [
            ("0x1F", 31), ("0b101", 5), ("017", 15), ("1_000", 1000), ("1:30", 90), ("-1:30", -90), ("+12", 12),
            ("-0", 0), ("0x_1", 1), ("1__0", 10), ("190:20:30", 685230), ("0x1F_FF", 8191), ("-0x10", -16),
            ("+0b11", 3), ("1:5", 65), ("42", 42), ("-17", -17),
        ] as [(String, Int)])
    func ints(_ text: String, _ expected: Int) throws {
        #expect(try exported(text) == .int(expected))
    }

    @Test(
        "int look-alikes stay strings",
        arguments: ["0o17", "08", "1:60", "0:30", "0b", "0X1F", "nUll", "~x", "=x", ".", "1.e3"])
    func intLookAlikes(_ text: String) throws {
        #expect(try exported(text) == .string(text))
    }

    @Test(
        "floats follow PyYAML's regex",
        arguments: [
            ("1.0e+3", 1000.0), (".5", 0.5), ("1.", 1.0), ("6.8523015e+5", 685230.15), ("685.230_15e+03", 685230.15),
            ("190:20:30.15", 685230.15), ("-1.5", -1.5), ("1_0.5", 10.5), ("1.5e-3", 0.0015), ("1.5E+3", 1500.0),
            ("1.0E-3", 0.001), (".inf", .infinity), ("-.inf", -.infinity), ("+.Inf", .infinity), (".INF", .infinity),
        ] as [(String, Double)])
    func floats(_ text: String, _ expected: Double) throws {
        #expect(try exported(text) == .double(expected))
    }

    @Test("exponents need a sign and a dot: these are strings", arguments: ["1e3", "1.0e3", "1e+3", "-.5", "+.5"])
    func floatLookAlikes(_ text: String) throws {
        #expect(try exported(text) == .string(text))
    }

    @Test("NaN", arguments: [".nan", ".NaN", ".NAN"])
    func nan(_ text: String) throws {
        guard case .double(let d) = try exported(text) else { Issue.record("not a float"); return }
        #expect(d.isNaN)
    }

    @Test(
        "timestamps print as Python's isoformat()",
        arguments: [
            ("2024-01-15", "2024-01-15"),
            ("2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.100000-05:00"),
            ("2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.100000-05:00"),
            ("2001-12-15T02:59:43.1Z", "2001-12-15T02:59:43.100000+00:00"),
            ("2001-12-14 21:59:43", "2001-12-14T21:59:43"),
            ("2001-12-14T21:59:43.000", "2001-12-14T21:59:43"),
            ("2001-12-14 21:59:43. Z", "2001-12-14T21:59:43+00:00"),
            ("2001-12-14 21:59:43.1234567 +05:30", "2001-12-14T21:59:43.123456+05:30"),
            ("2001-1-2 3:04:05", "2001-01-02T03:04:05"),
            ("2001-12-14t21:59:43-0", "2001-12-14T21:59:43+00:00"),
            ("!!timestamp 2001-1-2", "2001-01-02"),
            // Without a time, the short form is no timestamp.
            ("2001-1-2", "2001-1-2"),
        ])
    func timestamps(_ text: String, _ expected: String) throws {
        #expect(try exported(text) == .string(expected))
    }

    @Test("quoted and block scalars are always strings")
    func quoted() throws {
        #expect(try exported("'yes'") == "yes")
        #expect(try exported("\"1\"") == "1")
        #expect(try exported("'~'") == "~")
        #expect(try exported("\"2001-12-14\"") == "2001-12-14")
        #expect(try exported("'<<'") == "<<")
        #expect(try exported("|\n  line1\n  line2") == "line1\nline2\n")
        #expect(try exported(">\n  a\n  b") == "a b\n")
    }

    @Test("explicit tags")
    func explicitTags() throws {
        #expect(try exported("!!str 1") == "1")
        #expect(try exported("!!str yes") == "yes")
        #expect(try exported("!!str 1.5") == "1.5")
        #expect(try exported("!!str ~") == "~")
        #expect(try exported("!!str") == "")
        #expect(try exported("!!int \"12\"") == 12)
        #expect(try exported("!!int 0x10") == 16)
        #expect(try exported("!!int 1_0") == 10)
        #expect(try exported("!!int \"-0b11\"") == -3)
        #expect(try exported("!!int 0o17") == 15)
        #expect(try exported("!!float \"1\"") == .double(1.0))
        #expect(try exported("!!float \"1e3\"") == .double(1000.0))
        #expect(try exported("!!bool \"yes\"") == true)
        #expect(try exported("!!bool \"Off\"") == false)
        #expect(try exported("!!null \"\"") == .null)
        #expect(try exported("!!null x") == .null)
        #expect(try exported("!!seq [a]") == ["a"])
        #expect(try exported("!!map {a: 1}") == ["a": 1])
    }

    @Test("!unsafe re-resolves the text as plain, and strings print as __ansible_unsafe")
    func unsafe() throws {
        #expect(try exported("!unsafe 42") == 42)
        #expect(try exported("!unsafe 'yes'") == true)
        #expect(try exported("!unsafe \"1\"") == 1)
        #expect(try exported("!unsafe plain") == ["__ansible_unsafe": "plain"])
        #expect(try exported("!unsafe '{{ x }}'") == ["__ansible_unsafe": "{{ x }}"])
        #expect(
            try exported("!unsafe {a: '{{x}}', b: [c]}") == [
                "a": ["__ansible_unsafe": "{{x}}"], "b": [["__ansible_unsafe": "c"]],
            ])
    }

    @Test("!vault prints as __ansible_vault; a non-string is an error")
    func vault() throws {
        #expect(
            try exported("!vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162") == [
                "__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n6162\n"
            ])
        let error = loadError("v: !vault 42\n")
        #expect(error?.message == "YAML parsing failed: The '!vault' tag requires a string value.")
        #expect(error?.location == .line(1, column: 4))
    }

    @Test("non-string keys become what json.dumps makes of them; Python merges 1 and True")
    func keys() throws {
        let (value, warnings) = try YAMLLoader.loadYAML("v: {1: a, true: b, ~: c, 1.5: d, no: e}\n")
        guard case .mapping(let top) = value else { Issue.record("not a mapping"); return }
        let v = try top[0].value.json()
        // Python dict order: 1 (value of the later True), None, 1.5, False.
        #expect(v == .object(["1": "b", "null": "c", "1.5": "d", "false": "e"]))
        #expect(warnings == ["Found duplicate mapping key True (line 1, column 11). Using last defined value only."])
    }

    @Test("float keys use Python's repr")
    func floatKeys() throws {
        let v = try exported(
            "{1e20: y, 1.0e+20: z, .inf: w, 0.1: q, 1_000.5: r, 1.0e+16: s, 123456789.123456789: t, -.inf: u, .nan: "
                + "v, 1.0e-5: x, 0.0001: xx}"
        )
        #expect(
            v
                == .object([
                    "1e20": "y", "1e+20": "z", "Infinity": "w", "0.1": "q", "1000.5": "r", "1e+16": "s",
                    "123456789.12345679": "t", "-Infinity": "u", "NaN": "v", "1e-05": "x", "0.0001": "xx",
                ]))
    }

    @Test("duplicate keys: last value wins at the first position, with a warning")
    func duplicates() throws {
        let (value, warnings) = try YAMLLoader.loadYAML("v: {p: 1, q: 0, p: 2}\n")
        guard case .mapping(let top) = value else { Issue.record("not a mapping"); return }
        #expect(try top[0].value.json() == .object(["p": 2, "q": 0]))
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("Found duplicate mapping key 'p'") == true)
    }

    @Test("merge keys as PyYAML flattens them; explicit keys override, the first merged map wins")
    func merges() throws {
        let yaml = """
            base: &b {x: 1, y: 2}
            m: {<<: *b, z: 3}
            m2: {<<: [*b, {x: 9, w: 0}], y: 5}
            m3: {y: 5, <<: *b}
            al: *b

            """
        let (value, warnings) = try YAMLLoader.loadYAML(yaml)
        #expect(
            try value.json() == [
                "base": ["x": 1, "y": 2],
                "m": ["x": 1, "y": 2, "z": 3],
                "m2": ["x": 1, "w": 0, "y": 5],
                "m3": ["x": 1, "y": 5],
                "al": ["x": 1, "y": 2],
            ])
        // Ansible warns about the keys that merging doubles: x and y in m2, y in m3.
        #expect(warnings.count == 3)
    }

    @Test("Ansible tries JSON first: 1e3 is a float there and duplicate keys pass silently")
    func jsonFirst() throws {
        let (value, warnings) = try YAMLLoader.load(#"{"a": {"x": 1e3, "y": "\/", "z": 1, "z": 2}}"#)
        #expect(try value.json() == ["a": ["x": .double(1000), "y": "/", "z": 2]])
        #expect(warnings.isEmpty)
    }

    @Test("documents: an empty stream is null, `...` ends the only document, a second one is an error")
    func documents() throws {
        #expect(try YAMLLoader.load("").value == .null)
        #expect(try YAMLLoader.load("---\n").value == .null)
        #expect(try YAMLLoader.load("a: 1\n...\n").value.json() == ["a": 1])
        for text in ["a: 1\n---\nb: 2\n", "a: 1\n---\n"] {
            let error = loadError(text)
            #expect(
                error?.message
                    == "YAML parsing failed: Expected a single document in the stream but found another document.")
            #expect(error?.location == .line(2, column: 1))
        }
    }

    @Test(
        "construction errors carry Python's message and the node's line",
        arguments: [
            ("v: !!int abc", "YAML parsing failed: invalid literal for int() with base 10: 'abc'"),
            ("v: !!float abc", "YAML parsing failed: could not convert string to float: 'abc'"),
            ("v: !foo x", "YAML parsing failed: Could not determine a constructor for the tag '!foo'."),
            ("v: !!str [a]", "YAML parsing failed: Expected a scalar node, but found sequence."),
            ("v: !!map [a]", "YAML parsing failed: Expected a mapping node, but found sequence."),
            ("v: =", "YAML parsing failed: Could not determine a constructor for the tag 'tag:yaml.org,2002:value'."),
            ("v: <<", "YAML parsing failed: Could not determine a constructor for the tag 'tag:yaml.org,2002:merge'."),
            ("v: 2024-13-45", "YAML parsing failed: month must be in 1..12"),
            ("v: 2001-12-14T25:00:00", "YAML parsing failed: hour must be in 0..23"),
            ("v: {[a]: 1}", "YAML parsing failed: While constructing a mapping found unhashable key."),
        ])
    func constructionErrors(_ yaml: String, _ message: String) {
        let error = loadError(yaml + "\n")
        #expect(error?.message == message)
        #expect(error?.location.map { if case .line(1, _) = $0 { true } else { false } } == true)
    }

    @Test("a bad !!bool fails (Ansible: KeyError 'maybe')")
    func badBool() {
        #expect(loadError("v: !!bool maybe\n")?.message.contains("'maybe'") == true)
    }

    @Test("anchors: undefined alias and duplicate anchor fail as in PyYAML")
    func anchors() {
        #expect(loadError("a:\n  x: *nope\n")?.message.hasPrefix("YAML parsing failed: Found undefined alias") == true)
        let dup = loadError("a: &x 1\nb: &x 2\n")
        #expect(dup?.message.hasPrefix("YAML parsing failed: Found duplicate anchor") == true)
        #expect(dup?.location == .line(2, column: 4))
    }

    @Test("syntax errors carry libyaml's context and problem and its mark")
    func syntaxErrors() {
        let error = loadError("a:\n  hosts:\n    h1: {x: [1, 2}\n")
        #expect(
            error?.message == "YAML parsing failed: While parsing a flow sequence did not find expected ',' or ']'.")
        #expect(error?.location == .line(3, column: 18))
    }

    // Divergences, chosen because JSONValue cannot hold what Python can.
    @Test(
        "divergence: ints beyond 64 bits and date keys fail clearly (Python keeps a big int; ansible-inventory crashes on date keys)"
    )
    func divergences() {
        #expect(loadError("v: 123456789012345678901234567890\n")?.message.contains("does not fit in 64 bits") == true)
        #expect(throws: InventoryError.self) { try exported("{2024-01-15: x}") }
    }
}
