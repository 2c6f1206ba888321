import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// `batch-source drive` when things go wrong: thresholds, failed jobs, AWX refusing or not
// answering, and the drive itself killed mid-job.
@Suite("drive: failures, refusals and restarts", .serialized)
struct DriveFailureTests {
    static func awx(
        counters: @escaping @Sendable (String, Int, Int) -> AWXTestDouble.Counters = { _, _, _ in
            .init(ok: 2, changed: 1)
        },
        finalStatus: @escaping @Sendable (AWXTestDouble.Job) -> (status: String, explanation: String)? = { _ in nil },
        askLimit: Bool = true
    ) -> AWXTestDouble {
        let awx = AWXTestDouble(counters: counters, finalStatus: finalStatus)
        awx.state.withLock { $0.jobTemplates[7] = .init(id: 7, name: "Patch", askLimit: askLimit) }
        return awx
    }

    @Test("failed hosts beyond max_fail_percentage halt the rollout: the drive exits 1 and says why")
    func halts() async throws {
        // Batch 2 holds hosts 1, 5, 9, … (group1): three of its ten fail, more than 20%.
        let awx = Self.awx(counters: { host, _, _ in
            [1, 5, 9].contains(DriveTestRig.index(host)) ? .init(ok: 1, failures: 2) : .init(ok: 3)
        })
        let rig = try await DriveTestRig.start(
            hosts: 40, cursor: ["batch_size": 10, "max_fail_percentage": 20], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "Patch"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("max_fail_percentage"), "\(run.stderr)")
        #expect(run.stderr.contains("halted") || run.stderr.contains("stopped the rollout"), "\(run.stderr)")
        #expect(awx.launches.count == 2, "nothing is launched after the halt")
        let cursor = try await rig.cursor()
        #expect(cursor["state"] as? String == "halted")
        let batch = try await rig.batch(2)
        #expect(batch["state"] as? String == "completed")
        #expect((batch["results"] as? [String: String])?.values.filter { $0 == "failed" }.count == 3)
    }

    @Test("a job ending in error releases its batch and stops the drive; the next run launches it again")
    func errorJobReleases() async throws {
        let awx = Self.awx(finalStatus: { job in
            job.id == 101 ? ("error", "Job terminated due to error: the execution node went away") : nil
        })
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let first = try await rig.drive(["--job-template", "7"])
        #expect(first.status == 1)
        #expect(first.stderr.contains("job 101 for batch 1 ended error"), "\(first.stderr)")
        #expect(first.stderr.contains("the execution node went away"))
        let released = try await rig.batch(1)
        #expect(released["state"] as? String == "available")
        #expect(awx.launches.count == 1)

        let second = try await rig.drive(["--job-template", "7"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(awx.launches.count == 3)
        let batch = try await rig.batch(1)
        #expect(batch["state"] as? String == "completed")
        #expect(batch["attempt"] as? Int == 2)
    }

    @Test(
        "a template that does not prompt for a limit: AWX's 400 is shown as it is, with what to change; the batch is given back"
    )
    func noAskLimit() async throws {
        let awx = Self.awx(askLimit: false)
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("Field is not configured to prompt on launch."), "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 400"))
        #expect(run.stderr.contains("ask_limit_on_launch"))
        #expect(awx.launches.isEmpty)
        let batch = try await rig.batch(1)
        #expect(batch["state"] as? String == "available")
    }

    @Test("AWX that ignores the batch limit (before 3.3): the job is canceled at once and the drive says so")
    func ignoredLimit() async throws {
        let awx = Self.awx()
        awx.state.withLock { $0.jobTemplates[7]!.ignoresLimit = true }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("ignored the batch limit"), "\(run.stderr)")
        #expect(run.stderr.contains("it was canceled"), "\(run.stderr)")
        let launched = try #require(awx.launches.first)
        #expect(awx.state.withLock { $0.cancelRequests } == [launched.id])
        #expect(awx.state.withLock { $0.jobs[launched.id]?.status } == "canceled")
    }

    @Test("a cancel that fails after an ignored limit is said as such, with what to do, never as canceled")
    func ignoredLimitCancelFails() async throws {
        let awx = Self.awx()
        awx.state.withLock { s in
            s.jobTemplates[7]!.ignoresLimit = true
            s.faults = [.status(403, path: "/cancel/", method: "POST", times: 1000)]
        }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("canceling it failed"), "\(run.stderr)")
        #expect(run.stderr.contains("cancel it in AWX now"), "\(run.stderr)")
        #expect(!run.stderr.contains("it was canceled"), "\(run.stderr)")
        let launched = try #require(awx.launches.first)
        #expect(awx.state.withLock { $0.jobs[launched.id]?.status } != "canceled")
    }

    @Test("wrong AWX credentials: 401 shown with what to change, and the token never printed")
    func badCredentials() async throws {
        let awx = Self.awx()
        let rig = try await DriveTestRig.start(hosts: 10, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }
        var env = rig.environment
        env["CONTROLLER_OAUTH_TOKEN"] = "wrong-secret-token"
        let run = try await runProcess(
            rig.service.binary, rig.driveArguments + ["--job-template", "7"] + DriveTestRig.fastFlags, environment: env)
        #expect(run.status == 2)
        #expect(run.stderr.contains("HTTP 401"), "\(run.stderr)")
        #expect(run.stderr.contains("CONTROLLER_OAUTH_TOKEN"))
        #expect(!run.stderr.contains("wrong-secret-token") && !run.stdoutText.contains("wrong-secret-token"))
    }

    @Test("a cursor the service does not know: exit 2 with the service's message, and AWX is never asked")
    func unknownCursor() async throws {
        let awx = Self.awx()
        let rig = try await DriveTestRig.start(hosts: 10, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }
        let run = try await runProcess(
            rig.service.binary, ["drive", "rol", "--job-template", "7"] + DriveTestRig.fastFlags,
            environment: rig.environment)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("rol"), "\(run.stderr)")
        #expect(!run.stderr.contains("after"), "a 404 is not retried: \(run.stderr)")
        #expect(awx.state.withLock { $0.requests.isEmpty }, "nothing is asked of AWX for a cursor that is not there")
    }

    @Test("kill -9 while a job runs, then start again: the drive follows the same job and launches nothing twice")
    func killedMidJob() async throws {
        let awx = Self.awx()
        awx.state.withLock { $0.holdRunning = true }
        let rig = try await DriveTestRig.start(hosts: 30, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let process = try rig.launchDrive(["--job-template", "7"])
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let job = awx.launches.first.flatMap({ awx.job($0.id) }), job.polls >= 5 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let launched = try #require(awx.launches.first)
        #expect(awx.job(launched.id)?.status == "running")
        let held = try await rig.batch(1)
        #expect(held["state"] as? String == "leased")
        #expect(
            held["external_ref"] as? String == awx.url + "/api/v2/jobs/\(launched.id)/",
            "the job is recorded on the attempt")

        awx.state.withLock { $0.holdRunning = false }
        let run = try await rig.drive(["--job-template", "7"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutText.contains("following job \(launched.id)"))
        #expect(awx.launches.count == 3, "one launch per batch, none twice")
        let batch = try await rig.batch(1)
        #expect(batch["attempt"] as? Int == 1)
        #expect(batch["state"] as? String == "completed")
        #expect(try await rig.cursor()["state"] as? String == "done")
    }

    @Test("an abort while a job runs cancels the AWX job, releases the batch with the reason, and exits 1")
    func abortCancelsJob() async throws {
        let awx = Self.awx()
        awx.state.withLock { $0.holdRunning = true }
        let rig = try await DriveTestRig.start(hosts: 30, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }
        let drive = Task { try await rig.drive(["--job-template", "7"]) }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let job = awx.launches.first.flatMap({ awx.job($0.id) }), job.status == "running" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let launched = try #require(awx.launches.first)
        let (patched, _) = try await HTTP.json(
            .PATCH, rig.service.url + "/api/v1/cursors/roll", token: rig.service.adminToken,
            ["state": "aborted", "state_reason": "bad change"])
        #expect(patched == 200)
        let run = try await drive.value
        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains("was aborted") && run.stderr.contains("canceled job \(launched.id)"), "\(run.stderr)")
        #expect(awx.state.withLock { $0.cancelRequests } == [launched.id])
        #expect(awx.job(launched.id)?.status == "canceled")
        #expect(awx.launches.count == 1, "nothing more is launched")
        let batch = try await rig.batch(1)
        #expect(batch["state"] as? String == "available")
        let (_, body) = try await HTTP.json(
            .GET, rig.service.url + "/api/v1/cursors/roll/events", token: rig.service.adminToken)
        let released = ((body as? [String: Any])?["items"] as? [[String: Any]] ?? []).last {
            $0["kind"] as? String == "released"
        }
        #expect((released?["reason"] as? String)?.contains("canceled job \(launched.id)") == true)
    }

    @Test("AWX answering 500s and timing out is retried; the rollout completes")
    func retriesThenSucceeds() async throws {
        let awx = Self.awx()
        awx.state.withLock { s in
            s.faults = [
                .status(500, path: "/api/v2/jobs/", times: 3), .delay(6, path: "/job_host_summaries/", times: 1),
                .status(503, path: "/launch/", method: "POST", times: 1),
            ]
        }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        // The timeout is well above what any answer takes on a busy machine (a launch timing out
        // is not retried, by design), and the delayed answer well above the timeout.
        let run = try await rig.drive(["--job-template", "7", "--awx-timeout", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 500"))
        #expect(run.stderr.contains("HTTP 503"))
        #expect(run.stderr.contains("timed out") || run.stderr.contains("deadline"), "\(run.stderr)")
        #expect(awx.launches.count == 2, "a 503 on launch is retried without a second job")
        #expect(try await rig.results().count == 20)
    }

    @Test("AWX failing on: retried, then reported with exit 4; the batch stays held with its job for the next run")
    func retriesThenReports() async throws {
        let awx = Self.awx()
        awx.state.withLock { $0.faults = [.status(502, path: "/api/v2/jobs/", times: 1000)] }
        let rig = try await DriveTestRig.start(hosts: 20, cursor: ["batch_size": 10], awx: awx)
        defer { Task { await rig.stop() } }

        let run = try await rig.drive(["--job-template", "7"])
        #expect(run.status == 4)
        #expect(run.stderr.contains("after 4 attempts"), "\(run.stderr)")
        #expect(run.stderr.contains("HTTP 502"))
        let batch = try await rig.batch(1)
        #expect(batch["state"] as? String == "leased")
        #expect(batch["external_ref"] as? String == awx.url + "/api/v2/jobs/101/")

        awx.state.withLock { $0.faults = [] }
        let again = try await rig.drive(["--job-template", "7"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(awx.launches.count == 2)
    }
}
