import Foundation
import InventoryModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// `batch-source play CURSOR -- ansible-playbook …` with the real service, real ansible-core,
// inventory-script and the installed collection: draining, halting and resuming, a kill -9 in
// the middle of a batch, and a command that never reports.
@Suite("batch-source play (real service, real ansible-playbook)", .serialized, .scriptWorld)
struct PlayCommandTests {
    /// Every run appends `batch_id host` to `markers`; `slowBatch` first touches `gate` and
    /// then waits for `gate-go`, so a test can act while that batch runs.
    static func playbook(
        _ world: ScriptWorld, name: String, failOn: String = "", markers: URL, slowBatch: Int = 0, gate: URL? = nil
    ) throws -> URL {
        let file = world.scratch.appendingPathComponent("play-\(name).yml")
        let gatePath = gate?.path ?? "/nonexistent"
        try Data(
            """
            - hosts: all
              gather_facts: false
              tasks:
                - name: wait while the test acts
                  run_once: true
                  when: batch_id | int == \(slowBatch)
                  block:
                    - ansible.builtin.file:
                        path: \(gatePath)
                        state: touch
                    - ansible.builtin.wait_for:
                        path: \(gatePath)-go
                        timeout: 60
                - name: the work
                  ansible.builtin.shell: "echo {{ batch_id }} {{ inventory_hostname }} >> \(markers.path)"
                - name: a failure on one host
                  ansible.builtin.fail:
                    msg: broken on purpose
                  when: inventory_hostname == '\(failOn)'
            """.utf8
        ).write(to: file)
        return file
    }

    static func arguments(_ world: ScriptWorld, cursor: String, playbook: URL, extra: [String] = []) -> [String] {
        ["play", cursor] + extra + [
            "--", world.ansibleBin + "/ansible-playbook", "-i", world.scriptBin, "-c", "local", playbook.path,
            "-e", "ansible_python_interpreter=\(world.python)",
        ]
    }

    static func play(
        _ world: ScriptWorld, cursor: String, playbook: URL, extra: [String] = [], env: [String: String]? = nil
    ) async throws -> ProcessOutput {
        let environment: [String: String]
        if let env { environment = env } else { environment = try await world.collectionEnvironment(cursor: cursor) }
        return try await runProcess(
            world.service.binary, arguments(world, cursor: cursor, playbook: playbook, extra: extra),
            environment: environment, in: world.scratch)
    }

    static func markers(_ url: URL) throws -> [(batch: Int, host: String)] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let batch = Int(parts[0]) else { return nil }
            return (batch, String(parts[1]))
        }
    }

    @Test(
        "drains a cursor; a failing host in batch 2 trips the threshold: exit 1 with the reason; after cursor resume it finishes with exit 0"
    )
    func drainHaltResume() async throws {
        let world = try ScriptWorld.get()
        try await world.importPool("play-small", text: smallPool(9), contentType: "text/plain")
        try await world.createCursor([
            "name": "play-halt", "pool": "play-small", "batch_size": 3, "max_fail_percentage": 20,
        ])
        let markers = world.scratch.appendingPathComponent("markers-play-halt")
        // The plan follows the pool's inventory order (order: inventory): fail a host of batch 2.
        let batch2 = try await Self.hostsOfBatch(world, pool: "play-small", batchSize: 3, batch: 2)
        let book = try Self.playbook(world, name: "halt", failOn: batch2[1], markers: markers)

        let first = try await Self.play(world, cursor: "play-halt", playbook: book)
        #expect(first.status == 1, "\(first.stdoutText)\n\(first.stderr)")
        #expect(first.stderr.contains("stopped the rollout") && first.stderr.contains("halted"), "\(first.stderr)")
        #expect(
            first.stdoutText.contains("batch 1: `") && first.stdoutText.contains("batch 2: `"),
            "progress per batch: \(first.stdoutText)")
        let batches = try await world.batches("play-halt")
        #expect(batches.count == 2 && batches.allSatisfy { $0["state"] as? String == "completed" })
        #expect(try await world.cursor("play-halt")["state"] as? String == "halted")
        #expect(!(first.stdoutText + first.stderr).contains(world.claimToken))

        try await world.patchCursor("play-halt", ["state": "active"])
        let second = try await Self.play(world, cursor: "play-halt", playbook: book)
        #expect(second.status == 0, "\(second.stdoutText)\n\(second.stderr)")
        #expect(second.stdoutText.contains("rollout play-halt done: 9/9 hosts"), "\(second.stdoutText)")
        #expect(
            second.stdoutText.contains("BATCH") && second.stdoutText.contains("ATTEMPT"),
            "the summary table: \(second.stdoutText)")
        let ran = try Self.markers(markers)
        #expect(ran.count == 9 && Set(ran.map(\.host)).count == 9, "every host once: \(ran)")
        var failed = 0
        for batch in try await world.batches("play-halt") {
            let results = (batch["results"] as? [String: String]) ?? [:]
            failed += results.values.filter { $0 == "failed" }.count
        }
        #expect(failed == 1)
    }

    @Test(
        "killed (kill -9) in the middle of a batch and started again: it follows the run it left, no batch is played twice, the rollout finishes"
    )
    func killedMidBatch() async throws {
        let world = try ScriptWorld.get()
        try await world.importPool("play-kill-pool", text: smallPool(9), contentType: "text/plain")
        try await world.createCursor(["name": "play-kill", "pool": "play-kill-pool", "batch_size": 3])
        let markers = world.scratch.appendingPathComponent("markers-play-kill")
        let gate = world.scratch.appendingPathComponent("play-kill-gate")
        let book = try Self.playbook(world, name: "kill", markers: markers, slowBatch: 2, gate: gate)
        let env = try await world.collectionEnvironment(cursor: "play-kill")

        let log = world.scratch.appendingPathComponent("play-kill.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: world.service.binary)
        process.arguments = Self.arguments(world, cursor: "play-kill", playbook: book)
        process.environment = env
        process.currentDirectoryURL = world.scratch
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        for _ in 0..<1200 where !FileManager.default.fileExists(atPath: gate.path) {
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(
            FileManager.default.fileExists(atPath: gate.path),
            "batch 2 never started: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // Started again while the playbook it left behind still runs batch 2: it must wait for
        // that run, not start another one on the same hosts.
        async let again = Self.play(world, cursor: "play-kill", playbook: book, env: env)
        try await Task.sleep(for: .seconds(2))
        _ = FileManager.default.createFile(atPath: gate.path + "-go", contents: nil)
        let resumed = try await again
        #expect(resumed.status == 0, "\(resumed.stdoutText)\n\(resumed.stderr)")
        #expect(resumed.stdoutText.contains("batch 2: following the run started before"), "\(resumed.stdoutText)")
        let ran = try Self.markers(markers)
        #expect(ran.count == 9 && Set(ran.map(\.host)).count == 9, "every host once, no batch played twice: \(ran)")
        let batches = try await world.batches("play-kill")
        #expect(
            batches.count == 3
                && batches.allSatisfy { $0["attempt"] as? Int == 1 && $0["state"] as? String == "completed" })
    }

    @Test(
        "a command that ends without reporting (callback not enabled) releases its batch and stops with exit 1, saying why; bad input exits 2"
    )
    func commandWithoutReport() async throws {
        let world = try ScriptWorld.get()
        try await world.importPool("play-noreport-pool", text: smallPool(4), contentType: "text/plain")
        try await world.createCursor(["name": "play-noreport", "pool": "play-noreport-pool", "batch_size": 2])
        let markers = world.scratch.appendingPathComponent("markers-play-noreport")
        let book = try Self.playbook(world, name: "noreport", markers: markers)
        var env = try await world.collectionEnvironment(cursor: "play-noreport")
        env["ANSIBLE_CALLBACKS_ENABLED"] = nil
        let run = try await Self.play(
            world, cursor: "play-noreport", playbook: book, extra: ["--callbacks-from-config"], env: env)
        #expect(run.status == 1, "\(run.stdoutText)\n\(run.stderr)")
        #expect(
            run.stderr.contains("exited 0 without reporting batch 1") && run.stderr.contains("the batch was released"),
            "\(run.stderr)")
        let batch = try #require(try await world.batches("play-noreport").first)
        #expect(batch["state"] as? String == "available", "released: \(batch)")

        let unknown = try await Self.play(world, cursor: "no-such-cursor", playbook: book)
        #expect(unknown.status == 2 && unknown.stderr.contains("no-such-cursor"), "\(unknown.stderr)")
        let noCommand = try await runProcess(
            world.service.binary, ["play", "play-noreport"], environment: env, in: world.scratch)
        #expect(noCommand.status != 0 && noCommand.stderr.contains("give the command after --"), "\(noCommand.stderr)")
        let missing = try await runProcess(
            world.service.binary, ["play", "play-noreport", "--", "no-such-program-xyz"], environment: env,
            in: world.scratch)
        #expect(
            missing.status == 2 && missing.stderr.contains("no-such-program-xyz is not on PATH"), "\(missing.stderr)")
    }

    /// The hosts of batch `batch` of a cursor in inventory order with a fixed batch size: the
    /// pool's hosts in the service's order, cut into batches.
    static func hostsOfBatch(_ world: ScriptWorld, pool: String, batchSize: Int, batch: Int) async throws -> [String] {
        let (status, body) = try await HTTP.json(
            .GET, world.service.url + "/api/v1/pools/\(pool)/hosts?limit=1000", token: world.service.adminToken)
        try #require(status == 200, "\(String(describing: body))")
        let items = ((body as? [String: Any])?["items"] as? [Any]) ?? []
        let names = items.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) }
        return Array(names.dropFirst((batch - 1) * batchSize).prefix(batchSize))
    }
}
