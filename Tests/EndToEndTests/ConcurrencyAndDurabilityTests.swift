import Foundation
import Testing

// The service under load and faults, as real processes over real HTTP on loopback: the slow
// end-to-end tests of the service, kept in this one suite. Every check reads the service's
// own record of completed batches: no host in two batches, none missing.
@Suite("Service over HTTP: concurrency and durability", .serialized)
struct ConcurrencyAndDurabilityTests {
    /// Every host of the pool is in exactly one completed batch, and the cursor is done.
    static func audit(_ service: ServiceProcess, cursor: String, hosts: Int) async throws {
        let batches = try await CursorAudit.completedBatches(service, cursor: cursor, token: service.adminToken)
        var seen: [String: Int] = [:]
        for (_, names) in batches { for n in names { seen[n, default: 0] += 1 } }
        let twice = seen.filter { $0.value > 1 }
        #expect(twice.isEmpty, "hosts in two completed batches: \(twice.keys.sorted().prefix(5))")
        #expect(seen.count == hosts, "completed \(seen.count) distinct hosts of \(hosts)")
        let info = try await CursorAudit.cursor(service, cursor, token: service.adminToken)
        #expect(info["state"] as? String == "done")
        #expect(info["has_more"] as? Bool == false)
        let progress = info["progress"] as? [String: Any]
        #expect(progress?["hosts_done"] as? Int == hosts)
        #expect(progress?["batches_completed"] as? Int == batches.count)
    }

    static func setUp(_ service: ServiceProcess, hosts: Int, batchSize: Int, maxInFlight: Int, lease: Int = 3600)
        async throws
    {
        let (imported, _) = try await HTTP.request(
            .PUT, service.url + "/api/v1/pools/fleet", token: service.adminToken,
            body: Data(PoolText.ini(hosts: hosts).utf8), contentType: "text/plain",
            timeout: .minutes(10))  // a debug build on a busy machine is slow
        #expect(imported == 201)
        let (created, body) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors", token: service.adminToken,
            [
                "name": "roll", "pool": "fleet", "batch_size": batchSize, "max_in_flight": maxInFlight,
                "lease_seconds": lease,
            ])
        #expect(created == 201, "cursor create: \(String(describing: body))")
    }

    @Test("16 clients with their own consumers drain a 100k-host cursor: every host completed exactly once")
    func sixteenClients() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        try await Self.setUp(service, hosts: 100_000, batchSize: 100, maxInFlight: 16)
        let drainer = Drainer(service: service, cursor: "roll", token: service.adminToken)
        let deadline = Date().addingTimeInterval(600)
        let perClient = try await withThrowingTaskGroup(of: [Drainer.Completed].self) { group in
            for i in 0..<16 { group.addTask { try await drainer.run(consumer: "client-\(i)", deadline: deadline) } }
            return try await group.reduce(into: [[Drainer.Completed]]()) { $0.append($1) }
        }
        // Each client's own view agrees with the service's: 1000 batches between them.
        #expect(perClient.map(\.count).reduce(0, +) == 1000)
        #expect(perClient.filter { !$0.isEmpty }.count >= 2, "the clients should share the work")
        try await Self.audit(service, cursor: "roll", hosts: 100_000)
        #expect(await service.stop() == 0)
    }

    @Test("a graceful restart mid-rollout changes nothing: cursor, batches and leases are the same")
    func restart() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        try await Self.setUp(service, hosts: 500, batchSize: 50, maxInFlight: 3)
        let base = service.url + "/api/v1/cursors/roll"
        for consumer in ["a", "b", "c"] {
            _ = try await HTTP.json(.POST, base + "/claim", token: service.adminToken, ["consumer": consumer])
        }
        _ = try await HTTP.json(
            .POST, base + "/batches/1/complete", token: service.adminToken,
            ["results": ["host000000.example.net": "failed"]])
        let (_, beforeCursor) = try await HTTP.request(.GET, base, token: service.adminToken)
        let (_, beforeBatches) = try await HTTP.request(.GET, base + "/batches", token: service.adminToken)
        #expect(await service.stop() == 0)
        try await service.start()
        let (_, afterCursor) = try await HTTP.request(.GET, base, token: service.adminToken)
        let (_, afterBatches) = try await HTTP.request(.GET, base + "/batches", token: service.adminToken)
        #expect(String(decoding: afterCursor, as: UTF8.self) == String(decoding: beforeCursor, as: UTF8.self))
        #expect(String(decoding: afterBatches, as: UTF8.self) == String(decoding: beforeBatches, as: UTF8.self))
        // The holder of batch 2 gets it back, not a new one.
        let (_, again) = try await HTTP.json(.POST, base + "/claim", token: service.adminToken, ["consumer": "b"])
        #expect(((again as? [String: Any])?["batch"] as? [String: Any])?["batch_id"] as? Int == 2)
        #expect(await service.stop() == 0)
    }

    @Test(
        "kill -9 five times during a drain by 16 clients: no host twice, no completed batch lost, every host completed")
    func killNine() async throws {
        let service = try ServiceProcess()
        defer { service.remove() }
        try await service.start()
        try await Self.setUp(service, hosts: 20_000, batchSize: 10, maxInFlight: 16, lease: 30)
        let drainer = Drainer(service: service, cursor: "roll", token: service.adminToken)
        let deadline = Date().addingTimeInterval(600)
        // Five times, each after another sixth of the 2,000 batches was completed (by progress,
        // not by time: how fast a drain goes depends on the build and the machine): note what
        // the service answered as completed, kill -9 it, start it again, and check that none of
        // those completions was lost.
        async let killer: [Int] = {
            var counts: [Int] = []
            for k in 1...5 {
                while Date() < deadline {
                    let (_, cursor) = try await HTTP.json(
                        .GET, service.url + "/api/v1/cursors/roll", token: service.adminToken)
                    let progress = (cursor as? [String: Any])?["progress"] as? [String: Any]
                    if (progress?["batches_completed"] as? Int ?? 0) >= k * 2000 / 6 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let answered = try await CursorAudit.completedBatches(
                    service, cursor: "roll", token: service.adminToken
                ).map(\.0)
                counts.append(answered.count)
                await service.kill9()
                try await service.start()
                let after = Set(
                    try await CursorAudit.completedBatches(service, cursor: "roll", token: service.adminToken).map(\.0))
                #expect(Set(answered).isSubset(of: after), "completed batches lost by kill -9")
            }
            return counts
        }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<16 { group.addTask { _ = try await drainer.run(consumer: "client-\(i)", deadline: deadline) } }
            try await group.waitForAll()
        }
        let countsAtKills = try await killer
        #expect(
            countsAtKills.filter { $0 > 0 && $0 < 2000 }.count >= 3,
            "most kills should land mid-drain; completed batches at each kill: \(countsAtKills)")
        try await Self.audit(service, cursor: "roll", hosts: 20_000)
        #expect(await service.stop() == 0)
    }
}
