import Foundation
import Synchronization
import Testing

// `batch-source drive` against a real service and the AWX test double: whole rollouts.
@Suite("drive: rollouts through the AWX test double", .serialized)
struct DriveRolloutTests {
    /// What the double reports per host, and the status the service must record for it.
    static func counters(_ host: String) -> AWXTestDouble.Counters {
        let i = DriveTestRig.index(host)
        if i % 97 == 5 { return .init(ok: 1, dark: 1) }
        if i % 50 == 7 { return .init(ok: 2, failures: 1) }
        if i % 10 == 3 { return .init(ok: 2, changed: 1) }
        if i % 31 == 0 { return .init(skipped: 4) }
        return .init(ok: 4)
    }

    static func expected(_ host: String) -> String {
        let c = counters(host)
        return c.dark > 0
            ? "unreachable"
            : c.failures > 0 ? "failed" : c.changed > 0 ? "changed" : c.ok == 0 && c.skipped > 0 ? "skipped" : "ok"
    }

    @Test(
        "1,000 hosts in batches of 100: 10 launches with the batch as limit, every host completed with the result AWX reported"
    )
    func thousandHosts() async throws {
        let awx = AWXTestDouble(counters: { host, _, _ in Self.counters(host) })
        awx.state.withLock { s in
            s.jobTemplates[7] = .init(id: 7, name: "Deploy fleet")
            s.jobTemplates[8] = .init(id: 8, name: "Other")
            s.pageSize = 30  // AWX's MAX_PAGE_SIZE set low: every job's host summaries span 4 pages
        }
        let rig = try await DriveTestRig.start(hosts: 1000, cursor: ["batch_size": 100], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive([
            "--job-template", "Deploy fleet", "-e", "{\"release\": \"2.4\"}", "-e", "window=night",
        ])
        #expect(run.status == 0, "drive failed: \(run.stderr)")

        let launches = awx.launches
        #expect(launches.count == 10)
        var limited: [String] = []
        for (i, job) in launches.enumerated() {
            #expect(job.template == 7)
            let vars = try #require(
                try JSONSerialization.jsonObject(with: Data(job.extraVarsJSON.utf8)) as? [String: Any])
            #expect(vars["batch_id"] as? Int == i + 1)
            #expect(vars["batch_cursor"] as? String == "roll")
            #expect(vars["release"] as? String == "2.4")
            #expect(vars["window"] as? String == "night")
            let hosts = (job.limit ?? "").split(separator: ",").map(String.init)
            #expect(hosts.count == 100)
            let batch = try await rig.batch(i + 1)
            #expect(batch["hosts"] as? [String] == hosts, "batch \(i + 1)'s hosts are the job's limit")
            #expect(batch["external_ref"] as? String == awx.url + "/api/v2/jobs/\(job.id)/")
            limited += hosts
        }
        #expect(Set(limited).count == 1000)

        let results = try await rig.results()
        #expect(results.count == 1000)
        let wrong = results.filter { $0.value != Self.expected($0.key) }
        #expect(wrong.isEmpty, "hosts with results other than AWX reported: \(wrong.prefix(5))")
        #expect(Set(results.values) == ["ok", "changed", "failed", "unreachable", "skipped"])

        let cursor = try await rig.cursor()
        #expect(cursor["state"] as? String == "done")
        let paged = awx.state.withLock { $0.requests.filter { $0.contains("job_host_summaries") }.count }
        #expect(paged == 40, "every job's host summaries read page by page (4 pages of 30)")
        #expect(run.stdoutText.contains("rollout roll done: 1000/1000 hosts"))
        #expect(run.stdoutText.contains("BATCH"))
    }

    @Test("--json prints one JSON object per line: start, launched, job_status, job_event (--follow), completed, done")
    func jsonLines() async throws {
        let awx = AWXTestDouble()
        awx.state.withLock { $0.jobTemplates[7] = .init(id: 7, name: "Deploy") }
        let rig = try await DriveTestRig.start(hosts: 30, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7", "--json", "--follow"])
        #expect(run.status == 0, "drive failed: \(run.stderr)")
        var events: [String] = []
        for line in run.stdoutText.split(separator: "\n") {
            let object = try #require(
                try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON line: \(line)")
            events.append(try #require(object["event"] as? String))
            #expect(object["time"] is String)
        }
        #expect(events.first == "start")
        #expect(events.last == "done")
        #expect(events.filter { $0 == "launched" }.count == 3)
        #expect(events.filter { $0 == "completed" }.count == 3)
        #expect(events.contains("job_status"))
        #expect(events.contains("job_event"))
    }

    @Test("a workflow template: results summed over its job nodes, a host failing in one node is failed")
    func workflow() async throws {
        let awx = AWXTestDouble(counters: { host, template, _ in
            template == 8 && DriveTestRig.index(host) % 5 == 0
                ? .init(ok: 1, failures: 1) : .init(ok: 2, changed: template == 7 ? 1 : 0)
        })
        awx.state.withLock { s in
            s.jobTemplates[7] = .init(id: 7, name: "Patch")
            s.jobTemplates[8] = .init(id: 8, name: "Verify")
            s.workflowTemplates[12] = .init(id: 12, name: "Patch and verify", nodes: [7, 8])
        }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--workflow-template", "Patch and verify", "--follow"])
        #expect(run.status == 0, "drive failed: \(run.stderr)")
        #expect(awx.launches.count == 2)
        #expect(awx.launches.allSatisfy { $0.kind == .workflowJob && $0.template == 12 })
        let results = try await rig.results()
        #expect(results.count == 20)
        for (host, result) in results {
            #expect(result == (DriveTestRig.index(host) % 5 == 0 ? "failed" : "changed"), "\(host)")
        }
        #expect(run.stdoutText.contains("node"), "--follow shows the workflow's nodes")
    }

    @Test(
        "--inventory-source: the source is updated first (inventory-script gets the drive's batch), then the job runs on that inventory without a limit"
    )
    func inventorySource() async throws {
        let shared = SharedService()
        let awx = AWXTestDouble(onInventoryUpdate: { double, update in
            // AWX runs inventory-script here: consumer drive:roll from source_vars,
            // INVENTORY_UPDATE_ID as claim key; the synced inventory is the batch.
            guard let service = shared.service.withLock({ $0 }) else { return }
            let (_, body) =
                (try? await HTTP.json(
                    .POST, service.url + "/api/v1/cursors/roll/claim", token: service.adminToken,
                    ["consumer": "drive:roll", "claim_key": String(update)])) ?? (0, nil)
            let hosts = ((body as? [String: Any])?["batch"] as? [String: Any])?["hosts"] as? [String] ?? []
            double.state.withLock { $0.inventory = Set(hosts) }
        })
        awx.state.withLock { s in
            s.jobTemplates[7] = .init(id: 7, name: "Patch", askLimit: false)
            s.inventorySources = [31]
        }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        shared.service.withLock { $0 = rig.service }
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7", "--inventory-source", "31"])
        #expect(run.status == 0, "drive failed: \(run.stderr)")
        let updates = awx.state.withLock { $0.jobs.values.filter { $0.kind == .inventoryUpdate }.count }
        #expect(updates == 2)
        #expect(awx.launches.count == 2)
        #expect(awx.launches.allSatisfy { $0.limit == nil })
        let results = try await rig.results()
        #expect(results.count == 20)
        #expect(Set(results.values) == ["changed"])
    }
}

/// Lets a closure made before the service started reach it once it has.
final class SharedService: Sendable {
    let service = Mutex<ServiceProcess?>(nil)
}
