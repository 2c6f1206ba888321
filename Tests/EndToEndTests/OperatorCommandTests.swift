import Foundation
import Testing

// The operator commands as people and scripts run them, against a real service: text for
// people, the API's JSON with --json, one-line errors and non-zero exits on stderr.
@Suite("Operator commands against a real service", .serialized)
struct OperatorCommandTests {
    struct CLI {
        let service: ServiceProcess
        func run(_ args: String..., token: String? = nil) async throws -> ProcessOutput {
            var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") }
            env["BATCH_SOURCE_URL"] = service.url
            env["BATCH_SOURCE_TOKEN"] = token ?? service.adminToken
            return try await runProcess(service.binary, args, environment: env)
        }
        func json(_ args: String...) async throws -> [String: Any] {
            let out = try await runProcess(
                service.binary, args + ["--json"],
                environment: ProcessInfo.processInfo.environment.filter {
                    !$0.key.hasPrefix("BATCH_SOURCE_")
                }.merging(["BATCH_SOURCE_URL": service.url, "BATCH_SOURCE_TOKEN": service.adminToken]) { $1 })
            try #require(out.status == 0, "\(args) failed: \(out.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any])
        }
    }

    @Test("pool, cursor and batch commands drive a rollout; --json prints the API's objects")
    func rollout() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        let cli = CLI(service: service)
        let demo = Fixtures.repoRoot.appendingPathComponent("fixtures/pools/demo.yml").path

        let imported = try await cli.run("pool", "import", "demo", demo)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdoutText.contains("pool demo revision 1: 334 hosts"))
        #expect(try await cli.json("pool", "show", "demo")["host_count"] as? Int == 334)
        #expect(try await cli.run("pool", "list").stdoutText.contains("demo"))
        let web = try await cli.json("pool", "hosts", "demo", "--pattern", "web:&dc1", "--limit", "5")
        #expect((web["items"] as? [Any])?.count == 5)

        let made = try await cli.json(
            "cursor", "create", "canary", "--pool", "demo", "--batch-size", "1,50%",
            "--pause-after", "1", "--max-fail-percentage", "10")
        #expect(made["batch_size"] as? [AnyHashable] == [1, "50%"])
        #expect(made["pause_after"] as? [Int] == [1])

        // Claim batch 1 over the API, then complete it from the CLI with one failed host.
        let (_, claim) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors/canary/claim", token: service.adminToken, ["consumer": "ops"])
        let host = (((claim as? [String: Any])?["batch"] as? [String: Any])?["hosts"] as? [String])?.first ?? ""
        let anonymous = try await cli.run("batch", "complete", "canary", "1")
        #expect(anonymous.status != 0 && anonymous.stderr.contains("--consumer NAME and/or --claim-key KEY"))
        let stranger = try await cli.run("batch", "complete", "canary", "1", "--consumer", "someone-else")
        #expect(stranger.status != 0 && stranger.stderr.contains("not_holder"), "\(stranger.stderr)")
        let completed = try await cli.run(
            "batch", "complete", "canary", "1", "--consumer", "ops", "--result", "\(host)=changed")
        #expect(completed.status == 0, "\(completed.stderr)")
        #expect(completed.stdoutText.contains("changed"))
        let show = try await cli.run("cursor", "show", "canary")
        #expect(show.stdoutText.contains("paused"))
        #expect(show.stdoutText.contains("1/334"))
        #expect(try await cli.json("batch", "show", "canary", "1")["results"] as? [String: String] == [host: "changed"])
        #expect(try await cli.run("batch", "list", "canary", "--state", "completed").stdoutText.contains("completed"))

        #expect(try await cli.run("cursor", "resume", "canary").stdoutText.contains("active"))
        _ = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors/canary/claim", token: service.adminToken, ["consumer": "ops"])
        let released = try await cli.run("batch", "release", "canary", "2", "--force")
        #expect(released.status == 0 && released.stdoutText.contains("available"), "\(released.stderr)")
        #expect(try await cli.json("cursor", "list", "--state", "active")["total"] as? Int == 1)
        let aborted = try await cli.run("cursor", "abort", "canary")
        #expect(aborted.stdoutText.contains("aborted"))
        // watch ends at once on an aborted cursor, with its reason and exit 1.
        let watch = try await cli.run("cursor", "watch", "canary", "--interval", "0.2")
        #expect(watch.status == 1)
        #expect(watch.stderr.contains("aborted"))
        await service.stop()
    }

    @Test(
        "cursor create --dry-run makes nothing; cursor plan, cursor events and a rollback retry for people and --json")
    func rolloutCommands() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        let cli = CLI(service: service)
        let demo = Fixtures.repoRoot.appendingPathComponent("fixtures/pools/demo.yml").path
        #expect(try await cli.run("pool", "import", "demo", demo).status == 0)
        let args = [
            "cursor", "create", "sites", "--pool", "demo", "--batch-size", "1,50%", "--tier", "dc1_db", "--tier",
            "dc2_db", "--bake-seconds", "0", "--window", "daily 00:00-00:00 Europe/Berlin",
        ]
        let dry = try await runProcess(
            service.binary, args + ["--dry-run"],
            environment: ["BATCH_SOURCE_URL": service.url, "BATCH_SOURCE_TOKEN": service.adminToken])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdoutText.contains("tiers: dc1_db 16, dc2_db 16"), "\(dry.stdoutText)")
        #expect(dry.stdoutText.contains("db-dc1-01.example.net"))
        #expect(try await cli.run("cursor", "show", "sites").status != 0, "a dry run makes no cursor")
        let made = try await runProcess(
            service.binary, args,
            environment: ["BATCH_SOURCE_URL": service.url, "BATCH_SOURCE_TOKEN": service.adminToken])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdoutText.contains("tiers:") && made.stdoutText.contains("window:"), "\(made.stdoutText)")
        let plan = try await cli.json("cursor", "plan", "sites", "--limit", "3")
        #expect((plan["items"] as? [[String: Any]])?.map { $0["host_count"] as? Int } == [1, 8, 7])

        let (_, claim) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors/sites/claim", token: service.adminToken, ["consumer": "ops"])
        #expect(((claim as? [String: Any])?["batch"] as? [String: Any])?["batch_id"] as? Int == 1)
        #expect(try await cli.run("batch", "complete", "sites", "1", "--consumer", "ops").status == 0)
        #expect(try await cli.run("cursor", "pause", "sites", "--reason", "look first").status == 0)
        let events = try await cli.run("cursor", "events", "sites")
        #expect(events.status == 0)
        let lines = events.stdoutText.split(separator: "\n")
        #expect(lines.count == 4, "\(events.stdoutText)")
        #expect(lines.last?.contains("#4 paused by ") == true && lines.last?.contains("look first") == true, "\(lines)")
        let undo = try await cli.json(
            "cursor", "retry", "sites", "--name", "undo", "--select", "ok,changed", "--order", "newest_first")
        #expect((undo["progress"] as? [String: Any])?["total_hosts"] as? Int == 1)
        let bad = try await cli.run("cursor", "retry", "sites", "--name", "x", "--order", "newest")
        #expect(bad.status != 0 && bad.stderr.contains("newest_first"))
    }

    @Test("a closed output pipe ends the command quietly, by SIGPIPE as Unix tools do")
    func brokenPipe() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        let demo = Fixtures.repoRoot.appendingPathComponent("fixtures/pools/demo.yml").path
        #expect(try await CLI(service: service).run("pool", "import", "demo", demo).status == 0)
        // `true` exits before the answer is in, so every write meets a closed pipe.
        let script = """
            "$BIN" pool hosts demo --limit 1000 2>"$ERR" | true; echo "${PIPESTATUS[0]}"
            """
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("bs-pipe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: err) }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") }
        env.merge(
            [
                "BATCH_SOURCE_URL": service.url, "BATCH_SOURCE_TOKEN": service.adminToken, "BIN": service.binary,
                "ERR": err,
            ]
        ) { $1 }
        let run = try await runProcess("/bin/bash", ["-c", script], environment: env)
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "141", "exit status")
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(stderr.isEmpty, "stderr: \(stderr.prefix(500))")
        await service.stop()
    }

    @Test("errors: one line on stderr, non-zero exit, nothing on stdout")
    func errors() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        let cli = CLI(service: service)
        let missing = try await cli.run("cursor", "show", "nope")
        #expect(missing.status != 0 && missing.stdout.isEmpty)
        #expect(missing.stderr.contains("no cursor named nope"))
        let badToken = try await cli.run("pool", "list", token: "bs_0000000000000000_not-a-real-secret-at-all")
        #expect(badToken.status != 0 && badToken.stderr.contains("401"))
        #expect(!badToken.stderr.contains("not-a-real-secret"))
        let badSize = try await cli.run("cursor", "create", "x", "--pool", "p", "--batch-size", "ten")
        #expect(badSize.status != 0 && badSize.stderr.contains("batch_size"))
        await service.stop()
        let down = try await cli.run("pool", "list")
        #expect(down.status != 0 && down.stderr.contains("cannot reach the service"))
    }

    @Test("token create/list/revoke work on the database; a revoked token is refused by the service")
    func tokens() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") }
        let made = try await runProcess(
            service.binary, ["token", "create", "--name", "viewer", "--scope", "read", "--database", service.database],
            environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let token = made.stdoutText.split(separator: "\n").last.map(String.init) ?? ""
        #expect(token.hasPrefix("bs_"))
        try await service.start()
        #expect(try await HTTP.request(.GET, service.url + "/api/v1/pools", token: token).0 == 200)
        #expect(
            try await HTTP.request(.PUT, service.url + "/api/v1/pools/x", token: token, body: Data("[a]\nh\n".utf8)).0
                == 403)
        let list = try await runProcess(
            service.binary, ["token", "list", "--database", service.database], environment: env)
        #expect(list.stdoutText.contains("viewer") && list.stdoutText.contains("bootstrap"))
        #expect(!list.stdoutText.contains(String(token.suffix(20))))
        let revoked = try await runProcess(
            service.binary, ["token", "revoke", "viewer", "--database", service.database], environment: env)
        #expect(revoked.status == 0)
        try await Task.sleep(for: .seconds(6))  // the service caches a verified token for 5 s
        #expect(try await HTTP.request(.GET, service.url + "/api/v1/pools", token: token).0 == 401)
        await service.stop()
    }

    @Test("serve refuses bad settings with the setting's source named, exit 2")
    func badSettings() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        let config = service.directory.appendingPathComponent("serve.yml")
        try Data("listen: 127.0.0.1:99999\n".utf8).write(to: config)
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") }
        let bad = try await runProcess(service.binary, ["serve", "--config", config.path], environment: env)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("listen in \(config.path)"))
        let typo = try await runProcess(service.binary, ["serve", "--database", "mysql://x"], environment: env)
        #expect(typo.status == 2 && typo.stderr.contains("unsupported database URL"))
    }

    @Test("logs: one JSON line per request with its id; no token or secret ever appears")
    func logs() async throws {
        let service = try ServiceProcess(extraArguments: ["--log-level", "debug", "--log-format", "json"])
        defer { service.remove() }
        try await service.start()
        let secret = String(service.adminToken.split(separator: "_").last ?? "")
        _ = try await HTTP.request(.GET, service.url + "/api/v1/pools", token: service.adminToken)
        _ = try await HTTP.request(.GET, service.url + "/api/v1/pools", token: service.adminToken + "x")
        _ = try await HTTP.request(
            .GET, service.url + "/api/v1/pools?token=\(secret)", token: "bs_0123456789abcdef_\(secret)")
        await service.stop()
        let log = try String(contentsOf: service.directory.appendingPathComponent("serve.log"), encoding: .utf8)
        let requests = log.split(separator: "\n").filter { $0.contains("\"message\":\"request\"") }
        #expect(requests.count >= 3)
        for line in requests {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect((object?["hb.request.id"] as? String)?.isEmpty == false)
            #expect(object?["status"] != nil)
        }
        #expect(!log.contains(secret), "a token secret reached the log")
    }
}
