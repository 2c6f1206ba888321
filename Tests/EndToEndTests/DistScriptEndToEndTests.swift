import Foundation
import Testing

// The shipped binary (dist/inventory-script, $DIST_INVENTORY_SCRIPT; `make test` builds it
// first) against the suite's real service: http and https (with a private CA) through the
// libcurl it dlopens, and the one clear line when no libcurl can be loaded.
//
// "No libcurl" is made real with a mount namespace of the run's own (unshare), in which
// /dev/null is bind-mounted over the libcurl.so.4 file the dynamic loader would open.
extension InventoryScriptEndToEndTests {
    static func distBinary() throws -> String {
        let path =
            ProcessInfo.processInfo.environment["DIST_INVENTORY_SCRIPT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Fixtures.repoRoot.appendingPathComponent("dist/inventory-script").path
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "no dist binary at \(path): run `make dist` (or set DIST_INVENTORY_SCRIPT)")
        return path
    }

    /// The file `dlopen("libcurl.so.4")` opens, from the loader's cache, links resolved.
    static func libcurlFile() async throws -> String {
        let cache = try await runProcess("/sbin/ldconfig", ["-p"], environment: [:])
        let line = try #require(
            cache.stdoutText.split(separator: "\n").first { $0.contains("libcurl.so.4 (") && $0.contains("x86-64") },
            "ldconfig -p lists no libcurl.so.4: install libcurl4")
        let path = try #require(line.split(separator: " ").last.map(String.init))
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// Runs the dist binary where libcurl.so.4 cannot be loaded.
    static func distWithoutLibcurl(_ world: ScriptWorld, _ arguments: [String], env: [String: String]) async throws
        -> ProcessOutput
    {
        let hidden = try await libcurlFile()
        let script = #"mount --bind /dev/null "$0" && exec "$@""#
        return try await runProcess(
            "/usr/bin/unshare",
            ["--map-root-user", "--mount", "/bin/sh", "-c", script, hidden, try distBinary()] + arguments,
            environment: env, in: world.scratch)
    }

    @Test("dist binary, http://: --list through dlopen'd libcurl, the held batch again on a second run")
    func distOverHTTP() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-dist-http", batchSize: 5)
        let env = world.environment(cursor: "e2e-dist-http")

        let listed = try await runProcess(try Self.distBinary(), ["--list"], environment: env, in: world.scratch)
        let hosts = try PrintedInventory(listed, what: "dist --list over http").hosts
        #expect(hosts.count == 5)
        let again = try await runProcess(try Self.distBinary(), ["--list"], environment: env, in: world.scratch)
        #expect(
            try PrintedInventory(again, what: "dist --list over http, again").hosts == hosts, "the held batch again")
        #expect(try await world.batches("e2e-dist-http").count == 1)
    }

    @Test(
        "dist binary, https:// with a private CA: through dlopen'd libcurl; without libcurl one clear line and nothing on stdout"
    )
    func distOverHTTPS() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-dist-tls", batchSize: 5)
        let tls = try await TLSFront.start(world, name: "dist-tls")
        defer { tls.stop() }
        let env = world.environment(cursor: "e2e-dist-tls", url: tls.url).merging(["BATCH_SOURCE_CA_FILE": tls.ca]) {
            $1
        }

        let listed = try await runProcess(try Self.distBinary(), ["--list"], environment: env, in: world.scratch)
        #expect(try PrintedInventory(listed, what: "dist --list over https").hosts.count == 5)
        #expect(
            try tls.proxy.requests().contains { ($0["path"] as? String)?.hasSuffix("/claim") == true },
            "the claim went through the TLS front")

        let missing = try await Self.distWithoutLibcurl(world, ["--list"], env: env)
        #expect(missing.status == 2 && missing.stdout.isEmpty, "\(missing.status) \(missing.stderr)")
        let lines = missing.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(missing.stderr)")
        #expect(
            missing.stderr.hasPrefix(
                "inventory-script: cannot set up the HTTP client: inventory-script needs libcurl.so.4 (RHEL: dnf "
                    + "install libcurl; Debian: apt-get install libcurl4)"
            ),
            "\(missing.stderr)")
        let version = try await Self.distWithoutLibcurl(world, ["--version"], env: env)
        #expect(
            version.status == 0 && version.stdoutText.contains("no libcurl: RHEL: dnf install libcurl"),
            "\(version.stdoutText) \(version.stderr)")
    }

    @Test("dist binary: the service's answer cut off mid-body fails as unreachable, nothing on stdout")
    func distTruncatedAnswer() async throws {
        let world = try ScriptWorld.get()
        try await Self.setUpDemo(world, cursor: "e2e-dist-cut", batchSize: 5)
        let cutting = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--truncate"], python: world.python, directory: world.scratch)
        defer { cutting.stop() }
        var env = world.environment(cursor: "e2e-dist-cut", url: "http://127.0.0.1:\(cutting.port)")
        env["BATCH_SOURCE_RETRIES"] = "1"
        let run = try await runProcess(try Self.distBinary(), ["--list"], environment: env, in: world.scratch)
        #expect(run.status == 3 && run.stdout.isEmpty, "\(run.status) \(run.stderr)")
        #expect(
            run.stderr.contains("cannot reach the service (transfer closed with")
                && run.stderr.contains("bytes remaining to read"), "\(run.stderr)")
        #expect(run.stderr.contains("2 attempts"), "a dropped answer is retried: \(run.stderr)")
    }
}
