import Foundation
import InventoryModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What inventory-script's end-to-end suite shares: one real `batch-source serve` (SQLite in a
/// temporary directory) started once for the whole suite, a claim-scoped token made with
/// `batch-source token create`, the binaries, and Ansible's environment.
struct ScriptWorld: Sendable {
    let service: ServiceProcess
    let claimToken: String
    let scriptBin: String
    let ansibleBin: String
    let scratch: URL

    @TaskLocal static var current: ScriptWorld?

    static func get() throws -> ScriptWorld {
        try #require(current, "the suite's service is not running")
    }

    static func locateScript() throws -> String {
        let bin =
            ProcessInfo.processInfo.environment["INVENTORY_SCRIPT_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Fixtures.repoRoot.appendingPathComponent(".build/debug/inventory-script").path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            throw ServiceProcessError(
                "inventory-script not found at \(bin); build it with `swift build --product inventory-script` or set "
                    + "INVENTORY_SCRIPT_BIN"
            )
        }
        return bin
    }

    var python: String { ansibleBin + "/python" }

    /// The environment Ansible and the script run with: nothing of the machine's ANSIBLE_* or
    /// BATCH_SOURCE_* settings, Ansible's home and config in the scratch directory, unparsed
    /// inventories fatal (as in AWX), and the service's address, token and `cursor`.
    func environment(cursor: String, token: String? = nil, url: String? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("ANSIBLE_") && !$0.key.hasPrefix("BATCH_SOURCE_") && !$0.key.hasPrefix("INVENTORY_")
                && !["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"].contains(
                    $0.key)
        }
        env["ANSIBLE_HOME"] = scratch.appendingPathComponent("ansible-home").path
        env["ANSIBLE_CONFIG"] = scratch.appendingPathComponent("ansible.cfg").path
        env["ANSIBLE_LOCAL_TEMP"] = scratch.appendingPathComponent("ansible-tmp").path
        env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "True"
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_FORCE_COLOR"] = "0"
        env["BATCH_SOURCE_URL"] = url ?? service.url
        env["BATCH_SOURCE_TOKEN"] = token ?? claimToken
        env["BATCH_SOURCE_CURSOR"] = cursor
        return env
    }

    func ansible(_ tool: String, _ arguments: [String], env: [String: String]) async throws -> ProcessOutput {
        try await runProcess(ansibleBin + "/" + tool, arguments, environment: env, in: scratch)
    }

    func script(_ arguments: [String], env: [String: String]) async throws -> ProcessOutput {
        try await runProcess(scriptBin, arguments, environment: env, in: scratch)
    }

    // MARK: The service, through its API

    func importPool(_ name: String, text: String, contentType: String) async throws {
        let (status, body) = try await HTTP.request(
            .PUT, service.url + "/api/v1/pools/\(name)", token: service.adminToken,
            body: Data(text.utf8), contentType: contentType)
        try #require(
            status == 200 || status == 201,
            "importing pool \(name) answered \(status): \(String(decoding: body, as: UTF8.self))")
    }

    func createCursor(_ settings: [String: Any]) async throws {
        let (status, body) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors", token: service.adminToken, settings)
        try #require(
            status == 201, "creating cursor \(settings["name"] ?? "?") answered \(status): \(String(describing: body))")
    }

    func cursor(_ name: String) async throws -> [String: Any] {
        try await CursorAudit.cursor(service, name, token: service.adminToken)
    }

    func batches(_ cursor: String) async throws -> [[String: Any]] {
        let (status, body) = try await HTTP.json(
            .GET, service.url + "/api/v1/cursors/\(cursor)/batches?limit=1000", token: service.adminToken)
        try #require(status == 200)
        return ((body as? [String: Any])?["items"] as? [[String: Any]]) ?? []
    }

    /// Completes a batch as an operator would for its holder: the admin token with `force`.
    func complete(_ cursor: String, batch: Int, results: [String: String] = [:]) async throws {
        let (status, body) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors/\(cursor)/batches/\(batch)/complete",
            token: service.adminToken, ["results": results, "force": true])
        try #require(status == 200, "completing batch \(batch) answered \(status): \(String(describing: body))")
    }

    func patchCursor(_ cursor: String, _ patch: [String: Any]) async throws {
        let (status, body) = try await HTTP.json(
            .PATCH, service.url + "/api/v1/cursors/\(cursor)", token: service.adminToken, patch)
        try #require(status == 200, "patching cursor \(cursor) answered \(status): \(String(describing: body))")
    }
}

/// Starts the service once around the whole suite.
struct ScriptWorldTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void)
        async throws
    {
        // Gates may call the tests' own endpoints on loopback.
        let service = try ServiceProcess(extraArguments: ["--gate-hosts", "127.0.0.1"])
        defer { service.remove() }
        try await service.start()
        let scratch = service.directory.appendingPathComponent("script-e2e")
        try FileManager.default.createDirectory(
            at: scratch.appendingPathComponent("ansible-tmp"), withIntermediateDirectories: true)
        try Data("[defaults]\nhost_key_checking = False\nretry_files_enabled = False\n".utf8).write(
            to: scratch.appendingPathComponent("ansible.cfg"))

        // A token with the claim scope, as the AWX credential would hold.
        let made = try await runProcess(
            service.binary,
            ["token", "create", "--name", "awx-e2e", "--scope", "claim", "--database", service.database],
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") })
        try #require(made.status == 0, "token create failed: \(made.stderr)")
        let token = try #require(made.stdoutText.split(separator: "\n").last.map(String.init))

        let world = ScriptWorld(
            service: service, claimToken: token, scriptBin: try ScriptWorld.locateScript(),
            ansibleBin: Fixtures.repoRoot.appendingPathComponent(".venv/bin").path, scratch: scratch)
        try await ScriptWorld.$current.withValue(world) {
            try await function()
        }
        await service.stop()
    }
}

extension Trait where Self == ScriptWorldTrait {
    static var scriptWorld: ScriptWorldTrait { ScriptWorldTrait() }
}

/// A test helper process (Tests/support/test_http_doubles.py): the fault-injection / TLS proxy
/// in front of the real service, or the AWX launch-endpoint double.
final class HTTPDouble: Sendable {
    let process: Process
    let port: Int
    let log: URL

    init(_ arguments: [String], python: String, directory: URL) async throws {
        log = directory.appendingPathComponent("double-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let script = Fixtures.repoRoot.appendingPathComponent("Tests/support/test_http_doubles.py").path
        let portFile = directory.appendingPathComponent("double-\(UUID().uuidString).port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments + ["--log", log.path, "--port-file", portFile.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // The double writes its port to the file once it listens.
        var port: Int?
        for _ in 0..<300 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) {
                port = p
                break
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let port else {
            process.terminate()
            throw ServiceProcessError("the HTTP double \(arguments.first ?? "") did not start")
        }
        self.port = port
    }

    /// The requests it saw, one JSON object each.
    func requests() throws -> [[String: Any]] {
        let text = try String(contentsOf: log, encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// SIGKILL: a child started by Foundation's Process may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// What an inventory JSON printed by `ansible-inventory --list` says, for comparisons.
struct PrintedInventory {
    let top: JSONObject

    init(_ output: ProcessOutput, what: String) throws {
        try #require(output.status == 0, "\(what) failed (\(output.status)): \(output.stderr)")
        top = try #require(try JSONParser.parse(output.stdoutText).objectValue, "\(what) did not print a JSON object")
    }

    init(file: URL) throws {
        top = try #require(try JSONParser.parse(String(contentsOf: file, encoding: .utf8)).objectValue)
    }

    var hostvars: JSONObject { top["_meta"]?.objectValue?["hostvars"]?.objectValue ?? [:] }
    var allVars: JSONObject { top["all"]?.objectValue?["vars"]?.objectValue ?? [:] }

    func group(_ name: String) -> JSONObject? { top[name]?.objectValue }

    /// Every host named in a group's `hosts`, in order of first appearance.
    var hosts: [String] {
        var seen = Set<String>()
        var order: [String] = []
        for (name, value) in top where name != "_meta" {
            for host in value.objectValue?["hosts"]?.arrayValue ?? [] {
                if let h = host.stringValue, seen.insert(h).inserted { order.append(h) }
            }
        }
        return order
    }

    /// The groups that list `host` directly.
    func groups(of host: String) -> Set<String> {
        Set(
            top.compactMap { name, value in
                (value.objectValue?["hosts"]?.arrayValue ?? []).contains(.string(host)) ? name : nil
            })
    }
}

/// The `all` vars inventory-script adds; left out when comparing with the pool.
let batchFactNames: Set<String> = [
    "has_more", "batch_id", "batch_cursor", "batch_cursor_state", "batch_attempt", "batch_host_count",
    "batch_total_hosts",
    "batch_hosts_done", "batch_hosts_failed", "batch_hosts_unreachable", "batches_total", "batches_completed",
    "batch_lease_expires_at", "batch_consumer", "batch_claim_key", "batch_source_url", "batch_inventory_mode",
]

/// An INI pool of `count` hosts `node-NN` in groups `even`/`odd` under `fleet`, with vars.
func smallPool(_ count: Int) -> String {
    var lines = ["[even]"]
    lines += stride(from: 0, to: count, by: 2).map { String(format: "node-%02d idx=%d", $0, $0) }
    lines.append("[odd]")
    lines += stride(from: 1, to: count, by: 2).map { String(format: "node-%02d idx=%d", $0, $0) }
    lines += ["[fleet:children]", "even", "odd", "[fleet:vars]", "tier=test"]
    return lines.joined(separator: "\n") + "\n"
}
