import Foundation
import InventoryModel
import LoopbackPort
import Testing

// The batchsource.rollout collection with real ansible-core and a real `batch-source serve`:
// built and installed offline once (InstalledCollection), then playbooks whose hosts fail, are
// unreachable (ssh to a closed loopback port), all fail, or whose play any_errors_fatal or
// max_fail_percentage stops; the service must record each host's exact result.
@Suite("Ansible collection: the report callback (real service, real ansible-core)", .serialized, .scriptWorld)
struct AnsibleCollectionTests {
    /// An INI pool: hosts on the local connection, `unreachable` ones over ssh to a closed port.
    static func pool(_ names: [String], unreachable: Set<String> = []) throws -> String {
        let closed = try LoopbackPort.free()
        var lines = ["[fleet]"]
        for name in names {
            lines.append(
                unreachable.contains(name)
                    ? "\(name) ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=\(closed) ansible_user=nobody"
                    : "\(name) ansible_connection=local")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func setUp(
        _ world: ScriptWorld, _ name: String, hosts: [String], unreachable: Set<String> = [],
        cursor extra: [String: Any] = [:]
    ) async throws {
        try await world.importPool(name, text: try pool(hosts, unreachable: unreachable), contentType: "text/plain")
        try await world.createCursor(["name": name, "pool": name, "batch_size": hosts.count].merging(extra) { $1 })
    }

    /// Runs `playbook` (YAML text) with the installed collection and the callback enabled.
    static func run(_ world: ScriptWorld, cursor: String, playbook: String, env extra: [String: String] = [:])
        async throws -> ProcessOutput
    {
        let file = world.scratch.appendingPathComponent("collection-\(cursor)-\(UUID().uuidString.prefix(8)).yml")
        try Data(playbook.utf8).write(to: file)
        var env = try await world.collectionEnvironment(cursor: cursor)
        for (k, v) in extra { env[k] = v }
        return try await world.ansible(
            "ansible-playbook", ["-i", world.scriptBin, file.path, "-e", "ansible_python_interpreter=\(world.python)"],
            env: env)
    }

    static func results(_ world: ScriptWorld, _ cursor: String, batch: Int = 1) async throws -> [String: String] {
        let (status, body) = try await HTTP.json(
            .GET, world.service.url + "/api/v1/cursors/\(cursor)/batches/\(batch)", token: world.service.adminToken)
        try #require(status == 200)
        let object = try #require(body as? [String: Any])
        #expect(object["state"] as? String == "completed", "batch \(batch) of \(cursor) is \(object["state"] ?? "?")")
        return (object["results"] as? [String: String]) ?? [:]
    }

    static func said(_ run: ProcessOutput) -> String { run.stdoutText + "\n" + run.stderr }

    static let mixed = """
        - hosts: all
          gather_facts: false
          tasks:
            - name: the work
              ansible.builtin.command: "true"
              changed_when: inventory_hostname == 'h-changed'
              when: inventory_hostname != 'h-skipped'
            - name: broken on purpose
              ansible.builtin.fail:
                msg: broken
              when: inventory_hostname == 'h-failed'
            - name: a failure that is rescued is none
              when: inventory_hostname == 'h-ok'
              block:
                - ansible.builtin.fail:
                    msg: rescued
              rescue:
                - ansible.builtin.debug:
                    msg: rescued
            - name: an ignored failure is none either
              ansible.builtin.command: "false"
              ignore_errors: true
              when: inventory_hostname == 'h-changed'
        """

    @Test(
        "ansible-galaxy collection build; offline install from the tarball and from a project's collections/requirements.yml; ansible-doc; ansible-test sanity"
    )
    func buildInstallSanity() async throws {
        let built = try await InstalledCollection.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batchsource-collection-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = InstalledCollection.cleanEnvironment(home: dir.appendingPathComponent("ansible-home"))
        let galaxy = InstalledCollection.ansibleBin + "/ansible-galaxy"
        #expect(built.tarball.lastPathComponent == "batchsource-rollout-1.0.0.tar.gz")

        // The AWX kit's collections/requirements.yml, in a project beside the tarball, into a clean directory.
        let project = dir.appendingPathComponent("project")
        try FileManager.default.createDirectory(
            at: project.appendingPathComponent("collections"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Fixtures.repoRoot.appendingPathComponent("integrations/awx/collections/requirements.yml"),
            to: project.appendingPathComponent("collections/requirements.yml"))
        try FileManager.default.copyItem(
            at: built.tarball, to: project.appendingPathComponent("collections/\(built.tarball.lastPathComponent)"))
        let clean = dir.appendingPathComponent("clean")
        let install = try await runProcess(
            galaxy, ["collection", "install", "-r", "collections/requirements.yml", "-p", clean.path, "--offline"],
            environment: env, in: project)
        #expect(install.status == 0, "\(install.stdoutText) \(install.stderr)")
        let listed = try await runProcess(galaxy, ["collection", "list", "-p", clean.path], environment: env)
        #expect(listed.stdoutText.contains("batchsource.rollout  1.0.0"), "\(listed.stdoutText)")
        var docEnv = env
        docEnv["ANSIBLE_COLLECTIONS_PATH"] = clean.path
        let doc = try await runProcess(
            InstalledCollection.ansibleBin + "/ansible-doc", ["-t", "callback", "batchsource.rollout.report"],
            environment: docEnv)
        #expect(
            doc.status == 0 && doc.stdoutText.contains("BATCH_SOURCE_TOKEN")
                && doc.stdoutText.contains("stopped_hosts"), "\(doc.stderr)")

        // ansible-test wants the collection at ansible_collections/NAMESPACE/NAME; the tests
        // skipped need a virtual environment of their own from the network or containers.
        let tree = dir.appendingPathComponent("tree/ansible_collections/batchsource")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: InstalledCollection.source, to: tree.appendingPathComponent("rollout"))
        let skipped = [
            "ansible-doc", "changelog", "import", "pep8", "pylint", "runtime-metadata", "validate-modules", "yamllint",
            "pslint", "shellcheck",
        ]
        var sanityEnv = env
        sanityEnv["HOME"] = dir.path
        let sanity = try await runProcess(
            InstalledCollection.ansibleBin + "/ansible-test",
            ["sanity", "--python", "3.11", "--color", "no"] + skipped.flatMap { ["--skip-test", $0] },
            environment: sanityEnv, in: tree.appendingPathComponent("rollout"))
        #expect(sanity.status == 0, "ansible-test sanity: \(sanity.stdoutText)\n\(sanity.stderr)")
        #expect(sanity.stdoutText.contains("Running sanity test \"compile\""), "\(sanity.stdoutText)")
    }

    @Test(
        "exact results: ok, changed, failed, unreachable, skipped told apart; the threshold trips; beside the default and other stdout callbacks",
        arguments: ["default", "ansible.builtin.minimal", "ansible.builtin.oneline", "ansible.posix.json"])
    func exactResults(stdout: String) async throws {
        let world = try ScriptWorld.get()
        let cursor = "col-mixed-" + (stdout.split(separator: ".").last.map(String.init) ?? stdout)
        try await Self.setUp(
            world, cursor, hosts: ["h-ok", "h-changed", "h-failed", "h-unreachable", "h-skipped"],
            unreachable: ["h-unreachable"],
            cursor: ["max_fail_percentage": 30])
        var env = stdout == "default" ? [:] : ["ANSIBLE_STDOUT_CALLBACK": stdout]
        if stdout == "ansible.posix.json" {
            // ansible.posix comes from scripts/ensure-deps.sh, beside the installed batchsource.rollout.
            let posix = Fixtures.repoRoot.appendingPathComponent(".venv/collections").path
            env["ANSIBLE_COLLECTIONS_PATH"] = try await world.collectionEnvironment(cursor: cursor)[
                "ANSIBLE_COLLECTIONS_PATH"
            ].map { $0 + ":" + posix }
        }
        let run = try await Self.run(world, cursor: cursor, playbook: Self.mixed, env: env)
        if stdout == "ansible.posix.json" {
            let document = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
            #expect(
                document?["stats"] != nil,
                "json's stdout is one JSON document with the stats, untouched by the report: \(run.stdoutText.prefix(300))"
            )
        }
        let said = Self.said(run)
        #expect(
            run.status == 2 || run.status == 4,
            "ansible-playbook's own status for failed/unreachable hosts, not the report's 1: \(run.status)\n\(said)")
        #expect(
            try await Self.results(world, cursor) == [
                "h-ok": "ok", "h-changed": "changed", "h-failed": "failed", "h-unreachable": "unreachable",
                "h-skipped": "skipped",
            ], "\(said)")
        #expect(
            run.stderr.contains(
                "batchsource.rollout.report: batch 1 of cursor \(cursor) (attempt 1) completed: ok 1, changed 1, "
                    + "failed 1, unreachable 1, skipped 1"
            ),
            "\(said)")
        #expect(
            !run.stdoutText.contains("batchsource.rollout.report:"),
            "the callback writes to stderr, never into a stdout callback's output")
        let state = try await world.cursor(cursor)
        #expect(state["state"] as? String == "halted", "2 of 5 failed or unreachable is over max_fail_percentage 30")
        #expect(!said.contains(world.claimToken), "the token must never be printed")
    }

    @Test(
        "every host fails: the batch is reported all failed (the old task file never ran) and max_failed_hosts halts the cursor"
    )
    func everyHostFails() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUp(world, "col-allfail", hosts: ["a1", "a2", "a3"], cursor: ["max_failed_hosts": 2])
        let run = try await Self.run(
            world, cursor: "col-allfail",
            playbook: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.fail:
                        msg: all broken
                    - ansible.builtin.debug:
                        msg: never reached
                """)
        #expect(run.status == 2, "\(Self.said(run))")
        #expect(try await Self.results(world, "col-allfail") == ["a1": "failed", "a2": "failed", "a3": "failed"])
        #expect(try await world.cursor("col-allfail")["state"] as? String == "halted")
    }

    @Test(
        "a play that max_fail_percentage stops: the failed host is failed, the hosts the play never finished count as failed (stopped_hosts)"
    )
    func playStoppedByMaxFailPercentage() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUp(world, "col-maxfail", hosts: ["m1", "m2", "m3", "m4"])
        let playbook = """
            - hosts: all
              gather_facts: false
              max_fail_percentage: 10
              tasks:
                - ansible.builtin.fail:
                    msg: broken
                  when: inventory_hostname == 'm2'
                - ansible.builtin.debug:
                    msg: the rest of the work, never reached
            """
        let run = try await Self.run(world, cursor: "col-maxfail", playbook: playbook)
        #expect(run.status == 2, "\(Self.said(run))")
        #expect(
            try await Self.results(world, "col-maxfail") == [
                "m1": "failed", "m2": "failed", "m3": "failed", "m4": "failed",
            ], "\(Self.said(run))")
        #expect(run.stderr.contains("counted as failed (stopped_hosts)"), "\(run.stderr)")

        // The same with stopped_hosts=skipped: only the host that failed is failed.
        try await Self.setUp(world, "col-maxfail-skip", hosts: ["s1", "s2", "s3", "s4"])
        let skipped = try await Self.run(
            world, cursor: "col-maxfail-skip", playbook: playbook.replacingOccurrences(of: "'m2'", with: "'s2'"),
            env: ["BATCH_SOURCE_STOPPED_HOSTS": "skipped"])
        #expect(
            try await Self.results(world, "col-maxfail-skip") == [
                "s1": "skipped", "s2": "failed", "s3": "skipped", "s4": "skipped",
            ], "\(Self.said(skipped))")
    }

    @Test(
        "any_errors_fatal in the second of several plays: the results of both plays; the host it cut short (skipped so far) counts as failed"
    )
    func severalPlaysAndAnyErrorsFatal() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUp(world, "col-plays", hosts: ["p1", "p2", "p3", "p4"])
        let run = try await Self.run(
            world, cursor: "col-plays",
            playbook: """
                - hosts: p1,p2
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: "true"
                      changed_when: true
                - hosts: p3,p4
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                    - ansible.builtin.fail:
                        msg: broken
                      when: inventory_hostname == 'p4'
                    - ansible.builtin.debug:
                        msg: never reached
                """)
        #expect(run.status == 2, "\(Self.said(run))")
        #expect(
            try await Self.results(world, "col-plays") == [
                "p1": "changed", "p2": "changed", "p3": "failed", "p4": "failed",
            ], "\(Self.said(run))")
    }

    @Test("a host no play names counts as failed by default (unreported_hosts), or as configured")
    func unreportedHosts() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUp(world, "col-unreported", hosts: ["u1", "u2"])
        let run = try await Self.run(
            world, cursor: "col-unreported",
            playbook: """
                - hosts: u1
                  gather_facts: false
                  tasks:
                    - ansible.builtin.debug:
                        msg: only u1
                """, env: ["BATCH_SOURCE_UNREPORTED_HOSTS": "skipped"])
        #expect(run.status == 0, "\(Self.said(run))")
        #expect(try await Self.results(world, "col-unreported") == ["u1": "ok", "u2": "skipped"])
        #expect(run.stderr.contains("1 host(s) of batch 1 ran no task (e.g. u2); counted as skipped"), "\(run.stderr)")
    }

    @Test(
        "the report fails: service down after retries → exit 1 with one line; a 409 (the batch released under the play) → exit 1; never the token"
    )
    func reportFailures() async throws {
        let world = try ScriptWorld.get()
        // 409: the play gives its batch back (as its holder) before the end, so completing it is refused.
        try await Self.setUp(world, "col-conflict", hosts: ["c1", "c2"])
        let conflict = try await Self.run(
            world, cursor: "col-conflict",
            playbook: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.uri:
                        url: "{{ batch_source_url }}/api/v1/cursors/{{ batch_cursor }}/batches/{{ batch_id }}/release"
                        method: POST
                        headers:
                          Authorization: "Bearer {{ lookup('env', 'BATCH_SOURCE_TOKEN') }}"
                        body_format: json
                        body:
                          consumer: "{{ batch_consumer }}"
                          claim_key: "{{ batch_claim_key }}"
                      run_once: true
                      delegate_to: localhost
                      no_log: true
                """)
        #expect(conflict.status == 1, "\(Self.said(conflict))")
        let lines = conflict.stderr.split(separator: "\n").filter { $0.contains("batchsource.rollout.report: error:") }
        #expect(lines.count == 1 && lines[0].contains("409"), "\(conflict.stderr)")
        #expect(!Self.said(conflict).contains(world.claimToken))

        // Service down: stopped while the play runs; the callback retries, then gives up.
        try await Self.setUp(world, "col-down", hosts: ["d1"])
        let marker = world.scratch.appendingPathComponent("col-down-started")
        let playbook = """
            - hosts: all
              gather_facts: false
              tasks:
                - ansible.builtin.file:
                    path: \(marker.path)
                    state: touch
                - ansible.builtin.wait_for:
                    path: \(marker.path)-go
                    timeout: 60
            """
        async let down = Self.run(
            world, cursor: "col-down", playbook: playbook,
            env: ["BATCH_SOURCE_RETRY_TIME": "3", "BATCH_SOURCE_TIMEOUT": "2"])
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: marker.path) {
            try await Task.sleep(for: .milliseconds(100))
        }
        await world.service.stop()
        FileManager.default.createFile(atPath: marker.path + "-go", contents: nil)
        let failed = try await down
        try await world.service.start()
        #expect(failed.status == 1, "\(Self.said(failed))")
        let errors = failed.stderr.split(separator: "\n").filter { $0.contains("batchsource.rollout.report: error:") }
        #expect(
            errors.count == 1 && errors[0].contains("cannot reach") && errors[0].contains("attempts")
                && errors[0].contains("stays held"),
            "\(failed.stderr)")
        #expect(!Self.said(failed).contains(world.claimToken))
        let batch = try await world.batches("col-down").first
        #expect(batch?["state"] as? String == "leased", "an unreported batch stays held")
    }
}

extension ScriptWorld {
    /// Ansible's environment with the installed collection and its callback enabled.
    func collectionEnvironment(cursor: String) async throws -> [String: String] {
        let installed = try await InstalledCollection.get()
        var env = environment(cursor: cursor)
        env["ANSIBLE_COLLECTIONS_PATH"] = installed.collectionsPath.path
        env["ANSIBLE_CALLBACKS_ENABLED"] = "batchsource.rollout.report"
        env["BATCH_SOURCE_RETRY_TIME"] = env["BATCH_SOURCE_RETRY_TIME"] ?? "5"
        return env
    }
}
