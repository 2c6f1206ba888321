import Foundation
import InventoryModel
import Testing

// Parity with real Ansible: every fixture in `fixtures/inventories/` is read by
// `ansible-inventory` (ansible-core from `.venv`, as `make test` installs it) and by
// `batch-source inventory`, and both outputs must describe the same inventory: the same
// hosts, groups, hosts and children per group (in order), group vars and host vars, in the
// export form (`--list --export`) and in the merged form (`--list`).
//
// Conventions:
// - `script-*.json` fixtures are inventory-script output. Ansible reads script JSON only from
//   an executable, so it gets a temporary `#!/bin/sh` wrapper that `cat`s the fixture; any
//   other `.json` file is given to Ansible as is (its `yaml` plugin reads it).
// - `fixtures/inventories/invalid/` holds broken inventories: both tools must fail, and ours
//   must say which file (and the line, where one is known) is wrong.
//
// Ansible runs with `ANSIBLE_INVENTORY_UNPARSED_FAILED=True` (as AWX does), `ANSIBLE_HOME`
// and `ANSIBLE_CONFIG` in a temporary directory (so no `ansible.cfg` or `~/.ansible` of the
// machine changes the result) and no other `ANSIBLE_*` variables. Its warnings (deprecated
// script forms, duplicate YAML keys, group names with dashes, odd variable names) are expected
// on some fixtures and not compared: BatchSource reads the same data either way.
//
// The CLI is `$BATCH_SOURCE_BIN`, or else `.build/debug/batch-source`.
@Suite("Inventory parity with ansible-inventory")
struct InventoryParityTests {
    static let fixtures = Fixtures.valid
    static let invalidFixtures = Fixtures.invalid

    @Test("the fixtures are there")
    func fixturesExist() {
        #expect(Self.fixtures.count >= 6, "expected the inventory fixtures in \(Fixtures.directory.path)")
        #expect(Self.invalidFixtures.count >= 3, "expected broken inventories in \(Fixtures.directory.path)/invalid")
    }

    @Test("same inventory as ansible-inventory --list [--export]", arguments: fixtures)
    func parity(fixture: String) async throws {
        let tools = try Tools.locate()
        let path = Fixtures.directory.appendingPathComponent(fixture).path
        // The four runs are independent; the two Ansible runs take about a second each.
        async let ansibleExport = tools.ansibleInventory(path, export: true)
        async let ansibleMerged = tools.ansibleInventory(path, export: false)
        async let oursExport = tools.batchSourceInventory(path, export: true)
        async let oursMerged = tools.batchSourceInventory(path, export: false)

        for (form, theirsRun, oursRun) in [
            ("--export", try await ansibleExport, try await oursExport),
            ("merged", try await ansibleMerged, try await oursMerged),
        ] {
            try #require(
                theirsRun.status == 0, "ansible-inventory failed on \(fixture) (\(form)):\n\(theirsRun.stderr)")
            try #require(
                oursRun.status == 0, "batch-source inventory failed on \(fixture) (\(form)):\n\(oursRun.stderr)")
            let theirs = try ListedInventory(json: theirsRun.stdout, what: "ansible-inventory output for \(fixture)")
            let ours = try ListedInventory(json: oursRun.stdout, what: "batch-source output for \(fixture)")
            let differences = theirs.differences(from: ours)
            if !differences.isEmpty {
                let shown = differences.prefix(25).map { "  - \($0)" }.joined(separator: "\n")
                let more = differences.count > 25 ? "\n  … and \(differences.count - 25) more" : ""
                Issue.record(
                    "\(fixture) (\(form)): \(differences.count) difference(s), Ansible first, ours second:\n\(shown)\(more)"
                )
            }
        }
    }

    @Test("broken inventories fail in both, and ours says where", arguments: invalidFixtures)
    func invalid(fixture: String) async throws {
        let tools = try Tools.locate()
        let path = Fixtures.directory.appendingPathComponent("invalid").appendingPathComponent(fixture).path
        async let theirsRun = tools.ansibleInventory(path, export: true)
        async let oursRun = tools.batchSourceInventory(path, export: true)
        let theirs = try await theirsRun
        let ours = try await oursRun

        #expect(
            theirs.status != 0, "ansible-inventory accepted \(fixture); the fixture is not broken in Ansible's eyes")
        #expect(
            ours.status != 0,
            "batch-source accepted \(fixture), printing:\n\(String(decoding: ours.stdout.prefix(2000), as: UTF8.self))")
        #expect(
            ours.stdout.isEmpty || ours.stdout.allSatisfy { $0 == 0x0A || $0 == 0x20 },
            "batch-source printed an inventory for a broken file \(fixture)")

        let expectation = Fixtures.invalidExpectations[fixture] ?? InvalidExpectation()
        #expect(
            ours.stderr.contains(fixture), "the message should name the file \(fixture); stderr was:\n\(ours.stderr)")
        if let lines = expectation.lines {
            let named = lines.contains { ours.stderr.contains("line \($0)") }
            #expect(
                named,
                "the message should give line \(lines.map(String.init).joined(separator: " or ")) of \(fixture); stderr was:\n\(ours.stderr)"
            )
        }
        for word in expectation.mentions {
            #expect(ours.stderr.contains(word), "the message should mention '\(word)'; stderr was:\n\(ours.stderr)")
        }
    }
}

// MARK: - Fixtures

enum Fixtures {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let directory = repoRoot.appendingPathComponent("fixtures/inventories")

    static var valid: [String] { files(in: directory) }
    static var invalid: [String] { files(in: directory.appendingPathComponent("invalid")) }

    private static func files(in dir: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            let full = dir.appendingPathComponent(name).path
            return !name.hasPrefix(".") && !name.hasSuffix(".md")
                && FileManager.default.fileExists(atPath: full, isDirectory: &isDir) && !isDir.boolValue
        }.sorted()
    }

    /// What our message must contain besides the file name, per broken fixture. Lines are the
    /// ones Ansible reports too, except where noted.
    static let invalidExpectations: [String: InvalidExpectation] = [
        // Python: "Expecting ',' delimiter: line 9 column 9".
        "script-bad-syntax.json": InvalidExpectation(lines: [9]),
        // Ansible: "Value contains 'web.hosts' which is 'str' instead of 'list'" (no line: it
        // reads the script's output, not the file).
        "script-hosts-not-list.json": InvalidExpectation(mentions: ["web", "hosts"]),
        // Ansible: "Section [webservers:vars] not valid for undefined group 'webservers'", line 6.
        "ini-vars-undefined-group.ini": InvalidExpectation(lines: [6], mentions: ["webservers"]),
        // Ansible: "Section [prod:children] includes undefined group 'db'", at line 6 where
        // `db` is listed.
        "ini-children-undefined-group.ini": InvalidExpectation(lines: [6], mentions: ["db"]),
        // Ansible: "Section [web:hostvars] has unknown type: hostvars", line 4.
        "ini-unknown-section-type.ini": InvalidExpectation(lines: [4], mentions: ["hostvars"]),
        // Ansible: "Expected key=value host variable assignment, got: http_port", line 3.
        "ini-bad-host-var.ini": InvalidExpectation(lines: [3], mentions: ["http_port"]),
        // libyaml (and so PyYAML) reports the unterminated quote at the end of the stream,
        // line 11; line 8, where the quoted scalar starts, would be as good.
        "yaml-bad-syntax.yml": InvalidExpectation(lines: [8, 11]),
        // Ansible: "YAML inventory has invalid structure, it should be a dictionary, got: list".
        "yaml-top-level-list.yml": InvalidExpectation(),
        // Ansible: 'Invalid "hosts" entry for "web" group, requires a dictionary'.
        "yaml-hosts-list.yml": InvalidExpectation(mentions: ["hosts", "web"]),
    ]
}

struct InvalidExpectation {
    var lines: [Int]? = nil
    var mentions: [String] = []
}

// MARK: - Running the tools

struct RunResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String
}

struct ToolsMissing: Error, CustomStringConvertible {
    var description: String
}

struct Tools: Sendable {
    var ansibleInventoryPath: String
    var batchSourcePath: String

    static func locate() throws -> Tools {
        let fm = FileManager.default
        let ansible = Fixtures.repoRoot.appendingPathComponent(".venv/bin/ansible-inventory").path
        guard fm.isExecutableFile(atPath: ansible) else {
            throw ToolsMissing(
                description: """
                    ansible-core is not installed at \(ansible). Run `make test` (it creates .venv \
                    with ansible-core 2.19) before running the parity tests.
                    """)
        }
        let bin =
            ProcessInfo.processInfo.environment["BATCH_SOURCE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Fixtures.repoRoot.appendingPathComponent(".build/debug/batch-source").path
        guard fm.isExecutableFile(atPath: bin) else {
            throw ToolsMissing(
                description: """
                    batch-source binary not found at \(bin). Build it with \
                    `swift build --product batch-source`, or set BATCH_SOURCE_BIN.
                    """)
        }
        return Tools(ansibleInventoryPath: ansible, batchSourcePath: bin)
    }

    /// `ansible-inventory -i FIXTURE --list [--export]` in a clean Ansible environment.
    func ansibleInventory(_ fixture: String, export: Bool) async throws -> RunResult {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        let config = scratch.url.appendingPathComponent("ansible.cfg")
        try Data().write(to: config)
        var source = fixture
        let name = (fixture as NSString).lastPathComponent
        if name.hasPrefix("script-") && name.hasSuffix(".json") {
            let wrapper = scratch.url.appendingPathComponent("inventory.sh")
            let quoted = "'" + fixture.replacingOccurrences(of: "'", with: "'\\''") + "'"
            try Data("#!/bin/sh\nexec cat \(quoted)\n".utf8).write(to: wrapper)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
            source = wrapper.path
        }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ANSIBLE_") }
        env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True"
        env["ANSIBLE_HOME"] = scratch.url.appendingPathComponent("home").path
        env["ANSIBLE_CONFIG"] = config.path
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_FORCE_COLOR"] = "0"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        var args = ["-i", source, "--list"]
        if export { args.append("--export") }
        return try await run(ansibleInventoryPath, args, environment: env, in: scratch.url)
    }

    /// `batch-source inventory FIXTURE [--export]`.
    func batchSourceInventory(_ fixture: String, export: Bool) async throws -> RunResult {
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        var args = ["inventory", fixture]
        if export { args.append("--export") }
        return try await run(batchSourcePath, args, environment: ProcessInfo.processInfo.environment, in: scratch.url)
    }

    private func run(_ executable: String, _ arguments: [String], environment: [String: String], in directory: URL)
        async throws -> RunResult
    {
        let output = try await runProcess(executable, arguments, environment: environment, in: directory)
        return RunResult(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }
}

struct TemporaryDirectory: Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("batch-source-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

// MARK: - Comparing the outputs

/// What `--list` output says, reduced to what must match: per group its hosts and children in
/// order and its vars, and per host its vars. Object key order is not compared anywhere (both
/// tools sort keys on output, and vars are dicts).
struct ListedInventory {
    struct Group: Equatable {
        var hosts: [String] = []
        var children: [String] = []
        var vars: JSONValue = .object([:])
    }

    var groups: [String: Group] = [:]
    var hostvars: [String: JSONValue] = [:]
    var profile: JSONValue?

    init(json data: Data, what: String) throws {
        let text = String(decoding: data, as: UTF8.self)
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw ToolsMissing(description: "\(what) is not JSON (\(error)):\n\(text.prefix(2000))")
        }
        guard case .object(let top) = document else {
            throw ToolsMissing(description: "\(what) is not a JSON object")
        }
        for (name, value) in top {
            if name == "_meta" {
                let meta = value.objectValue ?? [:]
                profile = meta["profile"]
                for (host, vars) in meta["hostvars"]?.objectValue ?? [:] {
                    hostvars[host] = Self.canonical(vars)
                }
                continue
            }
            let object = value.objectValue ?? [:]
            var group = Group()
            group.hosts = (object["hosts"]?.arrayValue ?? []).map { $0.stringValue ?? "\($0)" }
            group.children = (object["children"]?.arrayValue ?? []).map { $0.stringValue ?? "\($0)" }
            group.vars = Self.canonical(object["vars"] ?? .object([:]))
            groups[name] = group
        }
    }

    /// Vars with keys sorted at every level, so that `==` ignores key order but not types
    /// (`1` and `1.0` and `"1"` stay different, as they are to Ansible).
    ///
    /// Ansible 2.19 prints a string it does not trust as a template as
    /// `{"__ansible_unsafe": "…"}` (its data-tagging encoding; e.g. the vars of the legacy
    /// script shorthand `"group": {"var": …}`, which "cannot be templated"). BatchSource has no
    /// notion of template trust and prints the plain string, on purpose: the value is the same,
    /// so the wrapper is removed before comparing.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            if object.count == 1, let inner = object["__ansible_unsafe"] {
                return canonical(inner)
            }
            var sorted = JSONObject()
            for key in object.keys.sorted(by: codePointLess) {
                sorted[key] = canonical(object[key]!)
            }
            return .object(sorted)
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }

    /// Every way `other` (ours) differs from `self` (Ansible), each as one readable line.
    func differences(from other: ListedInventory) -> [String] {
        var out: [String] = []
        let show = { (v: JSONValue) in JSONWriter(indent: nil, sortKeys: true).string(v) }

        let theirGroups = Set(groups.keys), ourGroups = Set(other.groups.keys)
        for name in theirGroups.subtracting(ourGroups).sorted() {
            out.append("group '\(name)' missing from ours (Ansible: \(describe(groups[name]!, show)))")
        }
        for name in ourGroups.subtracting(theirGroups).sorted() {
            out.append("group '\(name)' only in ours (\(describe(other.groups[name]!, show)))")
        }
        for name in theirGroups.intersection(ourGroups).sorted() {
            let a = groups[name]!, b = other.groups[name]!
            if a.hosts != b.hosts {
                if Set(a.hosts) == Set(b.hosts) {
                    out.append("group '\(name)': same hosts in another order: \(a.hosts) vs \(b.hosts)")
                } else {
                    let missing = a.hosts.filter { !b.hosts.contains($0) }
                    let extra = b.hosts.filter { !a.hosts.contains($0) }
                    out.append("group '\(name)' hosts: missing \(missing), extra \(extra)")
                }
            }
            if a.children != b.children {
                out.append("group '\(name)' children: \(a.children) vs \(b.children)")
            }
            if a.vars != b.vars {
                out.append(contentsOf: varDifferences("group '\(name)' vars", a.vars, b.vars, show))
            }
        }

        let theirHosts = Set(hostvars.keys), ourHosts = Set(other.hostvars.keys)
        for host in theirHosts.subtracting(ourHosts).sorted() {
            out.append("host '\(host)': no hostvars in ours (Ansible: \(show(hostvars[host]!)))")
        }
        for host in ourHosts.subtracting(theirHosts).sorted() {
            out.append("host '\(host)': hostvars only in ours: \(show(other.hostvars[host]!))")
        }
        for host in theirHosts.intersection(ourHosts).sorted() where hostvars[host] != other.hostvars[host] {
            out.append(contentsOf: varDifferences("host '\(host)' vars", hostvars[host]!, other.hostvars[host]!, show))
        }

        // Every host named anywhere, so a host with no vars that is in no group cannot hide.
        let allTheirs = Set(groups.values.flatMap(\.hosts)).union(theirHosts)
        let allOurs = Set(other.groups.values.flatMap(\.hosts)).union(ourHosts)
        if allTheirs != allOurs {
            out.append(
                "host set differs: missing \(allTheirs.subtracting(allOurs).sorted()), extra "
                    + "\(allOurs.subtracting(allTheirs).sorted())"
            )
        }
        if profile != other.profile {
            out.append("_meta.profile: \(profile.map(show) ?? "absent") vs \(other.profile.map(show) ?? "absent")")
        }
        return out
    }

    private func describe(_ g: Group, _ show: (JSONValue) -> String) -> String {
        "hosts \(g.hosts), children \(g.children), vars \(show(g.vars))"
    }

    /// Key by key, so that one wrong var in a large dict is easy to spot.
    private func varDifferences(_ what: String, _ a: JSONValue, _ b: JSONValue, _ show: (JSONValue) -> String)
        -> [String]
    {
        guard case .object(let x) = a, case .object(let y) = b else {
            return ["\(what): \(show(a)) vs \(show(b))"]
        }
        var out: [String] = []
        for key in Set(x.keys).union(y.keys).sorted(by: codePointLess) where x[key] != y[key] {
            out.append("\(what) '\(key)': \(x[key].map(show) ?? "absent") vs \(y[key].map(show) ?? "absent")")
        }
        return out
    }
}
