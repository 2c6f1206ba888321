import Foundation
import NIOCore
import PostgresTestCluster
import Testing

// Several `batch-source serve` replicas on one PostgreSQL database, as real processes over
// loopback, with real faults: kill -9 of a replica, a PostgreSQL restart. The invariants are
// read from the database itself and from the API, not from what the clients believe.
@Suite("Replicas on PostgreSQL under faults", .serialized)
struct ReplicaFaultTests {
    /// A cluster of the test's own (it gets restarted), a database and `count` replicas on it.
    static func replicas(_ count: Int, cluster: PostgresTestCluster) async throws -> (
        replicas: [ServiceProcess], database: String
    ) {
        let url = try await cluster.createDatabase(prefix: "replicas")
        let database = String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
        let token = ServiceProcess.makeToken()
        let replicas = try (0..<count).map { _ in try ServiceProcess(database: url, adminToken: token) }
        // Started together: migrations and the bootstrap token race, and must not fail.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for r in replicas { group.addTask { try await r.start() } }
            try await group.waitForAll()
        }
        return (replicas, database)
    }

    static func cursor(_ service: ServiceProcess, hosts: Int, batchSize: Int, maxInFlight: Int, lease: Int) async throws
    {
        // A debug build importing and planning 200k hosts while the other end-to-end suites
        // share two cores can take minutes; these two calls are set-up, not what is measured.
        let setUp: TimeAmount = .seconds(600)
        let (imported, _) = try await HTTP.request(
            .PUT, service.url + "/api/v1/pools/fleet", token: service.adminToken,
            body: Data(PoolText.ini(hosts: hosts).utf8), contentType: "text/plain", timeout: setUp)
        #expect(imported == 201)
        let (created, body) = try await HTTP.json(
            .POST, service.url + "/api/v1/cursors", token: service.adminToken,
            [
                "name": "roll", "pool": "fleet", "batch_size": batchSize, "max_in_flight": maxInFlight,
                "lease_seconds": lease, "ack": "explicit",
            ], timeout: setUp)
        #expect(created == 201, "cursor create: \(String(describing: body))")
    }

    static func waitReady(_ service: ServiceProcess, _ wanted: Int, within seconds: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let (status, _) = try? await HTTP.request(.GET, service.url + "/readyz", timeout: .seconds(3)),
                status == wanted
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(
        "3 replicas, 16 clients, 200k hosts; kill -9 a replica and restart PostgreSQL mid-drain: no host twice, none missing, handovers only after expiry, true counts",
        .timeLimit(.minutes(15)))
    func drainUnderFaults() async throws {
        let cluster = try await PostgresTestCluster.start(tuning: .tests)
        defer { cluster.destroy() }
        let (replicas, database) = try await Self.replicas(3, cluster: cluster)
        defer { for r in replicas { r.remove() } }
        let hosts = 200_000, lease = 3
        try await Self.cursor(replicas[0], hosts: hosts, batchSize: 100, maxInFlight: 16, lease: lease)
        let token = replicas[0].adminToken
        let client = ReplicaClient(replicas: replicas.map(\.url), cursor: "roll", token: token)
        let deadline = Date().addingTimeInterval(600)

        // The faults, driven by progress: kill -9 replica 2 at 20 %, PostgreSQL restart at 50 %.
        async let faults: (killedAt: Int, restartedAt: Int, notReadyWhileDown: Bool, readyAgain: Bool) = {
            func done() async -> Int {
                let info = try? await CursorAudit.cursor(replicas[0], "roll", token: token)
                return (info?["progress"] as? [String: Any])?["hosts_done"] as? Int ?? 0
            }
            var killedAt = 0
            while Date() < deadline {
                killedAt = await done()
                if killedAt >= hosts / 5 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await replicas[2].kill9()
            try await Task.sleep(for: .milliseconds(300))
            try await replicas[2].start()
            var restartedAt = 0
            while Date() < deadline {
                restartedAt = await done()
                if restartedAt >= hosts / 2 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await cluster.stopServer(mode: "fast")
            let notReady = try await Self.waitReady(replicas[1], 503, within: 10)
            try await Task.sleep(for: .milliseconds(500))
            try await cluster.startServer()
            var readyAgain = true
            for r in replicas { readyAgain = try await Self.waitReady(r, 200, within: 30) && readyAgain }
            return (killedAt, restartedAt, notReady, readyAgain)
        }()

        let reports = try await withThrowingTaskGroup(of: ReplicaClient.Report.self) { group in
            for i in 0..<16 {
                group.addTask { try await client.run(client: i, deadline: deadline, abandonEvery: i == 0 ? 40 : nil) }
            }
            return try await group.reduce(into: [ReplicaClient.Report]()) { $0.append($1) }
        }
        let fault = try await faults
        #expect(
            fault.killedAt > 0 && fault.killedAt < hosts,
            "the kill -9 should land mid-drain (at \(fault.killedAt) hosts done)")
        #expect(
            fault.restartedAt < hosts,
            "the PostgreSQL restart should land mid-drain (at \(fault.restartedAt) hosts done)")
        #expect(fault.notReadyWhileDown, "/readyz should say 503 while PostgreSQL is down")
        #expect(fault.readyAgain, "every replica should be ready again by itself after PostgreSQL came back")
        #expect(reports.map(\.failures).reduce(0, +) > 0, "the faults should have been felt by the clients")
        #expect(reports.map(\.abandoned.count).reduce(0, +) > 0)

        // What the clients saw: every host completed in exactly one batch.
        var hostsByBatch: [Int: [String]] = [:]
        for r in reports { for h in r.completed { hostsByBatch[h.batch] = h.hosts } }
        let clientHosts = hostsByBatch.values.flatMap { $0 }
        #expect(clientHosts.count == hosts && Set(clientHosts).count == hosts)

        // What the service says, through the API.
        let batches = try await CursorAudit.completedBatches(replicas[1], cursor: "roll", token: token)
        let apiHosts = batches.flatMap(\.1)
        #expect(apiHosts.count == hosts, "hosts in completed batches: \(apiHosts.count)")
        #expect(Set(apiHosts).count == hosts, "a host is in two completed batches")
        #expect(Set(batches.map(\.0)) == Set(hostsByBatch.keys))

        // What the database says.
        func number(_ sql: String) async throws -> Int { Int(try await cluster.sql(sql, database: database)) ?? -1 }
        #expect(
            try await number(
                """
                SELECT COUNT(*) FROM batches a JOIN batches b ON a.cursor_id = b.cursor_id AND a.batch_id < b.batch_id
                AND a.start_position < b.start_position + b.host_count AND b.start_position < a.start_position +
                  a.host_count
                """) == 0, "two batches share plan positions")
        #expect(try await number("SELECT COALESCE(SUM(host_count), 0) FROM batches WHERE state = 'completed'") == hosts)
        #expect(try await number("SELECT COUNT(*) FROM batches WHERE state <> 'completed'") == 0)
        #expect(
            try await number("SELECT COUNT(*) FROM cursor_plan WHERE status IS NULL") == 0, "hosts without a result")
        // A batch goes to another consumer only after the previous attempt's lease ran out
        // (judged from when it was leased, on the database's clock) or it was released.
        #expect(
            try await number(
                """
                SELECT COUNT(*) FROM batch_attempts a JOIN batch_attempts b
                  ON a.cursor_id = b.cursor_id AND a.batch_id = b.batch_id AND b.attempt = a.attempt + 1
                WHERE a.consumer <> b.consumer AND NOT (a.outcome = 'released'
                  OR (a.outcome = 'expired' AND b.leased_at >= a.leased_at + \(lease) AND a.ended_at <= b.leased_at))
                """) == 0, "a batch was handed to a second consumer while its lease was live")
        let redelivered = try await number("SELECT COUNT(*) FROM batch_attempts WHERE attempt > 1")
        #expect(
            redelivered >= reports.map(\.abandoned.count).reduce(0, +),
            "every abandoned batch is redelivered after its lease")

        // The cursor's counts are the truth.
        let info = try await CursorAudit.cursor(replicas[2], "roll", token: token)
        let progress = info["progress"] as? [String: Any]
        #expect(info["state"] as? String == "done" && info["has_more"] as? Bool == false)
        #expect(
            progress?["hosts_done"] as? Int
                == (try await number("SELECT COUNT(*) FROM cursor_plan WHERE status IS NOT NULL")))
        #expect(
            progress?["hosts_ok"] as? Int == (try await number("SELECT COUNT(*) FROM cursor_plan WHERE status = 'ok'")))
        #expect(progress?["batches_completed"] as? Int == batches.count)
        #expect(progress?["hosts_done"] as? Int == hosts)
        for r in replicas { #expect(await r.stop() == 0, "graceful stop: \(r.logTail())") }
    }

    @Test("two replicas racing for one claim key hand out one batch, once")
    func claimKeyRace() async throws {
        let cluster = try await PostgresTestCluster.shared
        let (replicas, _) = try await Self.replicas(2, cluster: cluster)
        defer { for r in replicas { r.remove() } }
        try await Self.cursor(replicas[0], hosts: 1000, batchSize: 10, maxInFlight: 50, lease: 600)
        let token = replicas[0].adminToken
        for round in 0..<5 {
            let answers = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
                for i in 0..<12 {
                    group.addTask {
                        let (status, body) = try await HTTP.json(
                            .POST, replicas[i % 2].url + "/api/v1/cursors/roll/claim", token: token,
                            ["consumer": "awx-source-\(round)-\(i)", "claim_key": "inventory-update-\(round)"])
                        let batch = (body as? [String: Any])?["batch"] as? [String: Any]
                        return (status, batch?["batch_id"] as? Int ?? -1, batch?["attempt"] as? Int ?? -1)
                    }
                }
                return try await group.reduce(into: [(Int, Int, Int)]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == 200 }, "statuses: \(answers.map(\.0))")
            #expect(Set(answers.map(\.1)).count == 1, "round \(round): batches \(Set(answers.map(\.1)))")
            #expect(Set(answers.map(\.2)) == [1])
        }
        let info = try await CursorAudit.cursor(replicas[1], "roll", token: token)
        #expect((info["progress"] as? [String: Any])?["batches_in_flight"] as? Int == 5)
        for r in replicas { #expect(await r.stop() == 0, "graceful stop: \(r.logTail())") }
    }
}
