import Foundation
import InventoryModel
import LoopbackPort
import Testing

// inventory-script against a real `batch-source serve` and real ansible-core from .venv: the
// inventory Ansible reads, AWX's exact call, whole rollouts reported by the collection's callback,
// halting, and every failure path Ansible must stop on. One service for the suite (started by
// ScriptWorldTrait); each test works on its own pool and cursor.
//
// Faults the real service cannot be made to produce (5xx, a body that is not JSON, no answer)
// come from a fault-injection proxy in front of it, TLS from a TLS-terminating proxy in front
// of it, and AWX's workflow launch endpoint from a test double (AWX cannot run here); all in
// Tests/support/test_http_doubles.py.
@Suite("inventory-script end to end (real service, real ansible-core)", .serialized, .scriptWorld)
struct InventoryScriptEndToEndTests {
    static let demoPool = Fixtures.repoRoot.appendingPathComponent("fixtures/pools/demo.yml")

    static func setUpDemo(_ world: ScriptWorld, cursor: String, batchSize: Int, extra: [String: Any] = [:]) async throws
    {
        if (try? await world.cursor("demo-probe")) == nil {
            try await world.importPool(
                "demo", text: try String(contentsOf: demoPool, encoding: .utf8), contentType: "application/yaml")
            try await world.createCursor(["name": "demo-probe", "pool": "demo", "batch_size": 1])
        }
        try await world.createCursor(["name": cursor, "pool": "demo", "batch_size": batchSize].merging(extra) { $1 })
    }

    @Test(
        "ansible-inventory --list, --graph and --host: the batch's hosts with the pool's groups and vars; --host claims nothing"
    )
    func listGraphHost() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-list", batchSize: 25)
        let env = world.environment(cursor: "e2e-list")

        let ours = try PrintedInventory(
            try await world.ansible("ansible-inventory", ["-i", world.scriptBin, "--list"], env: env),
            what: "ansible-inventory -i inventory-script --list")
        let pool = try PrintedInventory(
            try await world.ansible("ansible-inventory", ["-i", Self.demoPool.path, "--list"], env: env),
            what: "ansible-inventory on the pool")

        let batchHosts = ours.hosts
        #expect(batchHosts.count == 25)
        // demo.yml starts with web-dc1-[001:040]: batch 1 is the first 25 hosts in inventory order.
        #expect(batchHosts == (1...25).map { String(format: "web-dc1-%03d.example.net", $0) })
        for host in batchHosts {
            var vars = ours.hostvars[host]?.objectValue ?? [:]
            for fact in batchFactNames { vars[fact] = nil }
            #expect(
                ListedInventory.canonical(.object(vars))
                    == ListedInventory.canonical(pool.hostvars[host] ?? .object([:])),
                "merged vars of \(host) differ from the pool's")
            #expect(ours.groups(of: host) == pool.groups(of: host), "groups of \(host) differ from the pool's")
        }
        let facts = ours.hostvars[batchHosts[0]]?.objectValue ?? [:]
        #expect(facts["batch_id"] == 1 && facts["has_more"] == true && facts["batch_cursor"] == "e2e-list")

        let graph = try await world.ansible("ansible-inventory", ["-i", world.scriptBin, "--graph"], env: env)
        #expect(graph.status == 0, "\(graph.stderr)")
        #expect(graph.stdoutText.contains("@dc1_web:") && graph.stdoutText.contains("|--web-dc1-001.example.net"))
        #expect(!graph.stdoutText.contains("web-dc1-026.example.net"), "a host of the next batch is in the graph")

        let host = try await world.ansible(
            "ansible-inventory", ["-i", world.scriptBin, "--host", "web-dc1-003.example.net"], env: env)
        let hostVars = try #require(try JSONParser.parse(host.stdoutText).objectValue, "\(host.stderr)")
        #expect(hostVars["rack"] == "dc1-r01" && hostVars["datacenter"] == "dc1" && hostVars["batch_id"] == 1)

        // Direct --host: the holder sees the host's own vars, another consumer nothing; no claim.
        let own = try await world.script(["--host", "db-dc1-01.example.net"], env: env)
        #expect(own.status == 0)
        let otherEnv = env.merging(["BATCH_SOURCE_CONSUMER": "someone-else"]) { $1 }
        let other = try await world.script(["--host", "web-dc1-003.example.net"], env: otherEnv)
        #expect(
            other.status == 0 && other.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "{}",
            "\(other.stderr)")
        #expect(other.stderr.contains("holds no batch"))

        let batches = try await world.batches("e2e-list")
        #expect(
            batches.count == 1,
            "list, graph and host ran --list three times and --host twice; only one batch may be out, got \(batches.count)"
        )
        #expect((try await world.cursor("e2e-list")["progress"] as? [String: Any])?["batches_in_flight"] as? Int == 1)
    }

    @Test(
        "AWX's call: --list --export --output with AWX's env; same update id, same batch; next update after completion, next batch"
    )
    func awxCall() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-awx", batchSize: 10)
        func update(_ id: Int) async throws -> PrintedInventory {
            var env = world.environment(cursor: "e2e-awx")
            env["ANSIBLE_INVENTORY_EXPORT"] = "True"
            env["INVENTORY_SOURCE_ID"] = "42"
            env["INVENTORY_UPDATE_ID"] = String(id)
            env["BATCH_SOURCE_MODE"] = "batch"  // a source_vars key, as AWX passes it
            let output = world.scratch.appendingPathComponent("awx-\(id)-\(UUID().uuidString).json")
            let run = try await world.ansible(
                "ansible-inventory", ["--list", "--export", "-i", world.scriptBin, "--output", output.path], env: env)
            try #require(run.status == 0, "AWX's ansible-inventory call failed: \(run.stderr)")
            return try PrintedInventory(file: output)
        }

        let first = try await update(1001)
        #expect(first.hosts.count == 10)
        #expect(first.allVars["batch_id"] == 1 && first.allVars["has_more"] == true)
        #expect(first.allVars["batch_consumer"] == "awx-inventory-source-42")
        #expect(first.allVars["batch_claim_key"] == "awx-inventory-update-1001")
        #expect(
            first.group("dc1")?["vars"]?.objectValue?["datacenter"] == "dc1", "--export keeps group vars on the groups")
        #expect(first.hostvars["web-dc1-001.example.net"]?.objectValue?["rack"] == "dc1-r01")

        let again = try await update(1001)
        #expect(again.hosts == first.hosts, "a re-run of the same update gets the same batch")
        let newUpdate = try await update(1002)
        #expect(newUpdate.hosts == first.hosts, "explicit ack: a new update gets the unfinished batch again")

        try await world.complete("e2e-awx", batch: 1)
        let next = try await update(1003)
        #expect(next.allVars["batch_id"] == 2)
        #expect(Set(next.hosts).isDisjoint(with: first.hosts))
        let retried = try await update(1001)
        #expect(
            retried.hosts == first.hosts && retried.allVars["batch_id"] == 1,
            "a claim key seen before returns its batch, whatever happened since")
    }

    @Test("mode pool: the whole pool revision, the batch as group batch_current")
    func poolMode() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-pool", batchSize: 5)
        var env = world.environment(cursor: "e2e-pool")
        env["BATCH_SOURCE_MODE"] = "pool"
        let printed = try PrintedInventory(
            try await world.ansible("ansible-inventory", ["-i", world.scriptBin, "--list", "--export"], env: env),
            what: "pool mode")
        let pool = try PrintedInventory(
            try await world.ansible("ansible-inventory", ["-i", Self.demoPool.path, "--list", "--export"], env: env),
            what: "the pool")
        #expect(Set(printed.hosts) == Set(pool.hosts))
        #expect(printed.group("batch_current")?["hosts"]?.arrayValue?.count == 5)
        #expect(printed.allVars["batch_inventory_mode"] == "pool")
    }

    /// Runs the test playbook (only the work; the batchsource.rollout.report callback reports
    /// the batch and relaunches the AWX workflow) once.
    static func playbook(_ world: ScriptWorld, cursor: String, failOn: String = "", awx: HTTPDouble?, markers: URL)
        async throws -> ProcessOutput
    {
        let playbook = world.scratch.appendingPathComponent("rollout-\(cursor).yml")
        try Data(
            """
            - hosts: all
              gather_facts: false
              tasks:
                - name: the work
                  ansible.builtin.shell: "echo {{ inventory_hostname }} >> \(markers.path)"
                - name: a failure on one host
                  ansible.builtin.fail:
                    msg: broken on purpose
                  when: inventory_hostname == '\(failOn)'
            """.utf8
        ).write(to: playbook)
        var arguments = [
            "-i", world.scriptBin, "-c", "local", playbook.path,
            "-e", "ansible_python_interpreter=\(world.python)",
        ]
        if let awx {
            arguments += [
                "-e", "batch_source_workflow_template_id=77", "-e", "batch_source_awx_url=http://127.0.0.1:\(awx.port)",
                "-e", "batch_source_awx_token=awx-test-token",
            ]
        }
        return try await world.ansible(
            "ansible-playbook", arguments, env: try await world.collectionEnvironment(cursor: cursor))
    }

    @Test(
        "a whole rollout: ansible-playbook until has_more is false; every host once, a restart in the middle changes nothing, one relaunch per remaining batch"
    )
    func rollout() async throws {
        let world = try ScriptWorld.get()
        try await world.importPool("small", text: smallPool(23), contentType: "text/plain")
        try await world.createCursor(["name": "e2e-rollout", "pool": "small", "batch_size": 5])
        let awx = try await HTTPDouble(["awx"], python: world.python, directory: world.scratch)
        defer { awx.stop() }
        let markers = world.scratch.appendingPathComponent("markers-rollout")

        var runs = 0
        while runs < 10 {
            let run = try await Self.playbook(world, cursor: "e2e-rollout", awx: awx, markers: markers)
            try #require(
                run.status == 0, "playbook run \(runs + 1) failed:\n\(run.stdoutText.suffix(3000))\n\(run.stderr)")
            runs += 1
            if runs == 2 {
                await world.service.stop()
                try await world.service.start()
            }
            if try await world.cursor("e2e-rollout")["state"] as? String == "done" { break }
        }
        #expect(runs == 5)
        let ran = try String(contentsOf: markers, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(
            ran.count == 23 && Set(ran).count == 23,
            "every pool host exactly once; ran \(ran.count) times over \(Set(ran).count) hosts")

        let launches = try awx.requests().filter {
            ($0["path"] as? String) == "/api/v2/workflow_job_templates/77/launch/"
        }
        #expect(launches.count == 4, "one relaunch after each batch but the last")
        #expect(launches.allSatisfy { $0["authorized"] as? Bool == true })

        // Done: the inventory is empty with has_more false and the play has nothing to do.
        // --export: without hosts, the merged form has nowhere to show the all vars.
        let final = try PrintedInventory(
            try await world.ansible(
                "ansible-inventory", ["-i", world.scriptBin, "--list", "--export"],
                env: world.environment(cursor: "e2e-rollout")), what: "after the rollout")
        #expect(final.hosts.isEmpty)
        #expect(final.allVars["has_more"] == false)
        let idle = try await Self.playbook(world, cursor: "e2e-rollout", awx: awx, markers: markers)
        #expect(idle.status == 0, "\(idle.stderr)")
    }

    @Test("a batch that fails beyond max_fail_percentage halts the cursor; the next --list fails with the reason")
    func halt() async throws {
        let world = try ScriptWorld.get()
        try await world.importPool("small-halt", text: smallPool(10), contentType: "text/plain")
        try await world.createCursor([
            "name": "e2e-halt", "pool": "small-halt", "batch_size": 5, "max_fail_percentage": 0,
        ])
        let markers = world.scratch.appendingPathComponent("markers-halt")
        let run = try await Self.playbook(world, cursor: "e2e-halt", failOn: "node-02", awx: nil, markers: markers)
        #expect(run.status != 0, "a failed host fails the playbook")
        #expect(try await world.cursor("e2e-halt")["state"] as? String == "halted")

        let next = try await world.ansible(
            "ansible-inventory", ["-i", world.scriptBin, "--list"], env: world.environment(cursor: "e2e-halt"))
        #expect(next.status != 0)
        let said = next.stdoutText + next.stderr
        #expect(said.contains("inventory-script: claiming a batch of cursor e2e-halt"), "\(said)")
        #expect(said.contains("halted") && said.contains("409"), "\(said)")
    }

    /// ansible-inventory as AWX runs it, returning its status and everything it printed.
    static func awxInventory(_ world: ScriptWorld, _ env: [String: String]) async throws -> (
        status: Int32, said: String
    ) {
        var env = env
        env["INVENTORY_SOURCE_ID"] = "9"
        env["INVENTORY_UPDATE_ID"] = UUID().uuidString
        env["ANSIBLE_INVENTORY_EXPORT"] = "True"
        let output = world.scratch.appendingPathComponent("failure-\(UUID().uuidString).json")
        let run = try await world.ansible(
            "ansible-inventory", ["--list", "--export", "-i", world.scriptBin, "--output", output.path], env: env)
        return (run.status, run.stdoutText + run.stderr)
    }

    @Test(
        "failures under AWX's env: service down, bad token, unknown cursor, 500s, garbage, no answer → non-zero with our message"
    )
    func failures() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-fail", batchSize: 5)
        let quick = ["BATCH_SOURCE_RETRY_TIME": "2", "BATCH_SOURCE_TIMEOUT": "2"]
        let base = world.environment(cursor: "e2e-fail").merging(quick) { $1 }

        let down = try await Self.awxInventory(
            world, base.merging(["BATCH_SOURCE_URL": "http://127.0.0.1:\(try LoopbackPort.free())"]) { $1 })
        #expect(down.status != 0 && down.said.contains("cannot reach the service"), "\(down.said)")

        let badToken = try await Self.awxInventory(world, base.merging(["BATCH_SOURCE_TOKEN": "bs_0000_wrong"]) { $1 })
        #expect(
            badToken.status != 0 && badToken.said.contains("401") && badToken.said.contains("BATCH_SOURCE_TOKEN"),
            "\(badToken.said)")
        #expect(!badToken.said.contains("bs_0000_wrong"), "the token must not be printed")

        let unknown = try await Self.awxInventory(world, base.merging(["BATCH_SOURCE_CURSOR": "no-such-cursor"]) { $1 })
        #expect(
            unknown.status != 0 && unknown.said.contains("404") && unknown.said.contains("no-such-cursor"),
            "\(unknown.said)")

        let failing = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--fail", "1000", "--status", "500"], python: world.python,
            directory: world.scratch)
        defer { failing.stop() }
        let fiveHundreds = try await Self.awxInventory(
            world, base.merging(["BATCH_SOURCE_URL": "http://127.0.0.1:\(failing.port)"]) { $1 })
        #expect(
            fiveHundreds.status != 0 && fiveHundreds.said.contains("500") && fiveHundreds.said.contains("attempts"),
            "\(fiveHundreds.said)")
        #expect(try failing.requests().count > 1, "5xx answers are retried")

        let garbage = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--garbage"], python: world.python, directory: world.scratch)
        defer { garbage.stop() }
        let notJSON = try await Self.awxInventory(
            world, base.merging(["BATCH_SOURCE_URL": "http://127.0.0.1:\(garbage.port)"]) { $1 })
        #expect(notJSON.status != 0 && notJSON.said.contains("not JSON"), "\(notJSON.said)")

        let hanging = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--hang"], python: world.python, directory: world.scratch)
        defer { hanging.stop() }
        let silent = try await Self.awxInventory(
            world,
            base.merging(["BATCH_SOURCE_URL": "http://127.0.0.1:\(hanging.port)", "BATCH_SOURCE_TIMEOUT": "1"]) { $1 })
        #expect(silent.status != 0 && silent.said.contains("timed out"), "\(silent.said)")

        #expect(try await world.batches("e2e-fail").isEmpty, "no failure may have claimed a batch")
    }

    @Test(
        "a failing script stops ansible-playbook with its message under the kit's ansible.cfg; Ansible's defaults go on"
    )
    func kitConfigMakesFailuresFatal() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-cfg", batchSize: 5)
        let play = world.scratch.appendingPathComponent("ping-list.yml")
        try "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n".write(
            to: play, atomically: true, encoding: .utf8)
        let kit = Fixtures.repoRoot.appendingPathComponent("integrations/awx/ansible.cfg").path
        var env = world.environment(cursor: "e2e-cfg")
        env.removeValue(forKey: "ANSIBLE_INVENTORY_UNPARSED_FAILED")
        env["BATCH_SOURCE_RETRY_TIME"] = "1"
        let broken = env.merging(["BATCH_SOURCE_URL": "http://127.0.0.1:\(try LoopbackPort.free())"]) { $1 }
        let listHosts = ["-i", world.scriptBin, play.path, "--list-hosts"]

        // Ansible's defaults: the ini plugin reads the executable and the run goes on (the trap).
        let empty = world.scratch.appendingPathComponent("defaults.cfg")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let defaults = try await world.ansible(
            "ansible-playbook", listHosts, env: broken.merging(["ANSIBLE_CONFIG": empty.path]) { $1 })
        #expect(defaults.status == 0, "Ansible's defaults changed: \(defaults.stderr.prefix(800))")

        let kitFails = try await world.ansible(
            "ansible-playbook", listHosts, env: broken.merging(["ANSIBLE_CONFIG": kit]) { $1 })
        let said = kitFails.stdoutText + kitFails.stderr
        #expect(kitFails.status != 0, "\(said.prefix(800))")
        #expect(said.contains("cannot reach the service"), "the script's own message: \(said.prefix(800))")
        #expect(!said.contains("ELF"))

        let kitWorks = try await world.ansible(
            "ansible-playbook", listHosts, env: env.merging(["ANSIBLE_CONFIG": kit]) { $1 })
        #expect(kitWorks.status == 0, "\(kitWorks.stderr.prefix(800))")
        #expect(kitWorks.stdoutText.contains("hosts (5)"), "\(kitWorks.stdoutText.prefix(800))")
    }

    @Test("5xx then success: the claim is retried with the same claim key and burns no batch")
    func retriesKeepTheClaimKey() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-retry", batchSize: 5)
        let flaky = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--fail", "2", "--status", "503", "--retry-after", "1"],
            python: world.python, directory: world.scratch)
        defer { flaky.stop() }
        var env = world.environment(cursor: "e2e-retry", url: "http://127.0.0.1:\(flaky.port)")
        env["INVENTORY_UPDATE_ID"] = "7"
        let run = try await world.script(["--list"], env: env)
        #expect(run.status == 0, "\(run.stderr)")
        let claims = try flaky.requests().filter { ($0["path"] as? String)?.hasSuffix("/claim") == true }
        #expect(claims.count == 3)
        #expect(Set(claims.compactMap { $0["claim_key"] as? String }) == ["awx-inventory-update-7"])
        #expect(try await world.batches("e2e-retry").count == 1)
    }

    @Test("paused cursor and no free batch: a clear failure at once, or --wait until it can go on")
    func waiting() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-wait", batchSize: 5)
        let env = world.environment(cursor: "e2e-wait")

        try await world.patchCursor("e2e-wait", ["state": "paused"])
        let paused = try await world.script(["--list"], env: env)
        #expect(paused.status == 6 && paused.stdout.isEmpty)
        #expect(paused.stderr.contains("paused") && paused.stderr.contains("--wait"), "\(paused.stderr)")

        async let waited = world.script(["--list", "--wait", "30"], env: env)
        try await Task.sleep(for: .seconds(2))
        try await world.patchCursor("e2e-wait", ["state": "active"])
        let resumed = try await waited
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("asking again"))

        let busy = try await world.script(
            ["--list"], env: env.merging(["BATCH_SOURCE_CONSUMER": "second-consumer"]) { $1 })
        #expect(busy.status == 6 && busy.stderr.contains("no_batch_free"), "\(busy.stderr)")
    }

    @Test("HTTPS with a private CA: works with BATCH_SOURCE_CA_FILE, fails clearly without it")
    func https() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-tls", batchSize: 5)
        let tls = try await TLSFront.start(world, name: "tls")
        defer { tls.stop() }
        let (url, ca) = (tls.url, tls.ca)

        let trusted = try await world.script(
            ["--list"], env: world.environment(cursor: "e2e-tls", url: url).merging(["BATCH_SOURCE_CA_FILE": ca]) { $1 }
        )
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(try PrintedInventory(trusted, what: "https").hosts.count == 5)

        let untrusted = try await world.script(["--list"], env: world.environment(cursor: "e2e-tls", url: url))
        #expect(untrusted.status == 3 && untrusted.stdout.isEmpty)
        #expect(
            untrusted.stderr.contains("TLS") && untrusted.stderr.contains("BATCH_SOURCE_CA_FILE"), "\(untrusted.stderr)"
        )
    }
}
