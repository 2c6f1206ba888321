import Foundation

/// A real `batch-source serve` with one pool and cursor `roll`, an AWX test double, and
/// `batch-source drive` run against both as a pipeline would run it.
struct DriveTestRig {
    let service: ServiceProcess
    let awx: AWXTestDouble

    /// Fast polling and retries, so the tests run at the speed of the machine.
    static let fastFlags = [
        "--poll-interval", "0.005", "--max-poll-interval", "0.05", "--retry-delay", "0.01", "--retries", "3",
    ]

    static func start(hosts: Int, cursor: [String: Any], awx: AWXTestDouble) async throws -> DriveTestRig {
        let service = try ServiceProcess()
        try await service.start()
        try await awx.start()
        let (imported, answer) = try await HTTP.request(
            .PUT, service.url + "/api/v1/pools/fleet", token: service.adminToken,
            body: Data(PoolText.ini(hosts: hosts).utf8), contentType: "text/plain")
        guard imported == 201 || imported == 200 else {
            throw ServiceProcessError("pool import: \(imported) \(String(decoding: answer, as: UTF8.self))")
        }
        var request: [String: Any] = ["name": "roll", "pool": "fleet"]
        for (k, v) in cursor { request[k] = v }
        let (created, body) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors", token: service.adminToken, request)
        guard created == 201 else { throw ServiceProcessError("cursor create: \(created) \(String(describing: body))") }
        return DriveTestRig(service: service, awx: awx)
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BATCH_SOURCE_") && !$0.key.hasPrefix("CONTROLLER_") && !$0.key.hasPrefix("TOWER_")
        }
        env["BATCH_SOURCE_URL"] = service.url
        env["BATCH_SOURCE_TOKEN"] = service.adminToken
        for (k, v) in awx.environment { env[k] = v }
        return env
    }

    var driveArguments: [String] { ["drive", "roll"] }

    func drive(_ arguments: [String]) async throws -> ProcessOutput {
        try await runProcess(service.binary, driveArguments + arguments + Self.fastFlags, environment: environment)
    }

    /// Starts the drive without waiting for it (to kill it mid-job).
    func launchDrive(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: service.binary)
        process.arguments = driveArguments + arguments + Self.fastFlags
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func get(_ path: String) async throws -> [String: Any] {
        let (status, body) = try await HTTP.json(.GET, service.url + path, token: service.adminToken)
        guard status == 200, let object = body as? [String: Any] else {
            throw ServiceProcessError("GET \(path) answered \(status)")
        }
        return object
    }

    func batch(_ n: Int) async throws -> [String: Any] { try await get("/api/v1/cursors/roll/batches/\(n)") }
    func cursor() async throws -> [String: Any] { try await get("/api/v1/cursors/roll") }

    /// Every completed batch's per-host results.
    func results() async throws -> [String: String] {
        var all: [String: String] = [:]
        var offset = 0
        while true {
            let page = try await get("/api/v1/cursors/roll/batches?state=completed&limit=1000&offset=\(offset)")
            let items = page["items"] as? [[String: Any]] ?? []
            for item in items {
                for (host, result) in item["results"] as? [String: String] ?? [:] { all[host] = result }
            }
            offset += items.count
            if items.isEmpty || offset >= page["total"] as? Int ?? 0 { return all }
        }
    }

    func stop() async {
        awx.stop()
        await service.stop()
        service.remove()
    }

    /// `host000123.example.net` → 123.
    static func index(_ host: String) -> Int { Int(host.dropFirst(4).prefix(6)) ?? -1 }
}
