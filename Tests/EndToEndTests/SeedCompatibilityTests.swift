import Foundation
import Testing

// The seed document's inventory script (fixtures/seed/next_batch_inventory.py: requests.get
// with a Bearer token, reading batch_id, hosts and has_more) against a real service: alone it
// drains a cursor; eight copies at once never see a host twice and miss none.
@Suite("Seed compatibility: GET /api/nextBatch with the seed's script", .serialized)
struct SeedCompatibilityTests {
    static let script = Fixtures.repoRoot.appendingPathComponent("fixtures/seed/next_batch_inventory.py").path
    static let python = Fixtures.repoRoot.appendingPathComponent(".venv/bin/python").path

    /// Runs the seed script until it prints has_more false; returns each batch it printed.
    static func drain(_ service: ServiceProcess, cursor: String) async throws -> [(id: Int, hosts: [String])] {
        var env = ProcessInfo.processInfo.environment
        env["API_URL"] = service.url
        env["API_TOKEN"] = service.adminToken
        env["CURSOR"] = cursor
        var batches: [(Int, [String])] = []
        for _ in 0..<500 {
            let run = try await runProcess(python, [script, "--list"], environment: env)
            try #require(run.status == 0, "seed script failed: \(run.stderr)")
            let inventory = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
            let vars = (inventory["all"] as? [String: Any])?["vars"] as? [String: Any]
            let hosts = (inventory["batch"] as? [String: Any])?["hosts"] as? [String] ?? []
            let id = vars?["batch_id"] as? Int ?? -1
            if vars?["has_more"] as? Bool == false {
                #expect(hosts.isEmpty)
                return batches
            }
            batches.append((id, hosts))
        }
        throw ServiceProcessError("the seed script never saw has_more false")
    }

    static func setUp(_ service: ServiceProcess, hosts: Int, batchSize: Int) async throws {
        let (imported, _) = try await HTTP.request(
            .PUT, service.url + "/api/v1/pools/fleet", token: service.adminToken,
            body: Data(PoolText.ini(hosts: hosts).utf8), contentType: "text/plain",
            timeout: .minutes(10))  // a debug build on a busy machine is slow
        try #require(imported == 201)
        let (created, _) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors", token: service.adminToken,
            ["name": "seed", "pool": "fleet", "batch_size": batchSize])
        try #require(created == 201)
    }

    @Test("one seed script drains a cursor batch by batch, batch ids 1, 2, 3 …")
    func alone() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        try await Self.setUp(service, hosts: 95, batchSize: 10)
        let batches = try await Self.drain(service, cursor: "seed")
        #expect(batches.map(\.id) == Array(1...10))
        #expect(Set(batches.flatMap(\.hosts)).count == 95)
        #expect(batches.flatMap(\.hosts).count == 95)
        await service.stop()
    }

    @Test("eight seed scripts at once: no host twice, none missing")
    func eightAtOnce() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        try await Self.setUp(service, hosts: 400, batchSize: 7)
        let all = try await withThrowingTaskGroup(of: [(id: Int, hosts: [String])].self) { group in
            for _ in 0..<8 { group.addTask { try await Self.drain(service, cursor: "seed") } }
            return try await group.reduce(into: [(id: Int, hosts: [String])]()) { $0 += $1 }
        }
        let hosts = all.flatMap(\.hosts)
        #expect(hosts.count == 400, "hosts handed out \(hosts.count) times for 400 hosts")
        #expect(Set(hosts).count == 400)
        #expect(Set(all.map(\.id)).count == all.count, "a batch id was handed out twice")
        await service.stop()
    }
}
