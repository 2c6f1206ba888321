import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An AWX API test double. AWX cannot run here, so the drive's tests talk to this in-process
/// HTTP server on a loopback port instead. It is built from AWX's documented behaviour:
/// `/api/v2/` paths with trailing slashes; lists as `{"count", "next", "previous", "results"}`
/// with `page`/`page_size` and `next` as a relative path; launches answering 201
/// `{"job": N, …}` (`{"workflow_job": N}` for workflows) and 400
/// `{"limit": ["Field is not configured to prompt on launch."]}` for a template that does not
/// prompt for a limit; job states moving `pending → waiting → running → successful|failed`
/// (or `error`/`canceled`); `job_host_summaries` with `host_name, ok, changed, failures, dark,
/// skipped`; workflow jobs whose `workflow_nodes` carry `summary_fields.job`; inventory
/// source updates answering 202 `{"inventory_update": N}`; job events by `counter`.
///
/// Jobs move one state per poll of their status, so tests run at the speed of the drive's
/// polling; `holdRunning` keeps them in `running` until released.
final class AWXTestDouble: Sendable {
    struct JobTemplate: Sendable {
        var id: Int
        var name: String
        var askLimit = true
        var askVariables = true
        /// AWX before 3.3: a limit the template does not prompt for is not refused but left
        /// out of the job and named in the launch answer's `ignored_fields`.
        var ignoresLimit = false
    }

    struct WorkflowTemplate: Sendable {
        var id: Int
        var name: String
        /// The job templates its nodes run, one node each, all with the workflow's limit.
        var nodes: [Int]
        var askLimit = true
    }

    enum Kind: String, Sendable {
        case job = "jobs", workflowJob = "workflow_jobs", inventoryUpdate = "inventory_updates"
    }

    struct Job: Sendable {
        var id: Int
        var kind: Kind
        var template: Int
        var limit: String?
        var extraVarsJSON: String
        var status = "pending"
        var polls = 0
        var explanation = ""
        /// For workflow jobs: the node ids (= their jobs' ids).
        var children: [Int] = []
    }

    /// The per-host counters a job reports, as AWX's job_host_summaries row.
    struct Counters: Sendable, Equatable {
        var ok = 0, changed = 0, failures = 0, dark = 0, skipped = 0
    }

    enum Fault: Sendable {
        /// Answer this status `times` times to requests whose path contains `path`.
        case status(Int, path: String, method: String = "GET", times: Int)
        /// Wait `seconds` before answering, `times` times.
        case delay(Double, path: String, times: Int)
    }

    struct State: Sendable {
        var jobTemplates: [Int: JobTemplate] = [:]
        var workflowTemplates: [Int: WorkflowTemplate] = [:]
        var inventorySources: Set<Int> = []
        var jobs: [Int: Job] = [:]
        var nextId = 100
        var launches: [Job] = []
        var holdRunning = false
        /// The jobs a cancel was asked for, in order.
        var cancelRequests: [Int] = []
        var pageSize = 25
        var faults: [Fault] = []
        var requests: [String] = []
        /// Hosts the AWX inventory holds; `nil`: every host of a limit.
        var inventory: Set<String>?
    }

    let token = "awx-test-token-" + UUID().uuidString
    let state = Mutex(State())
    /// What each host reports in job `job` (template id `template`).
    let counters: @Sendable (_ host: String, _ template: Int, _ job: Int) -> Counters
    /// The status a job ends in; `nil` derives it from the counters (failed when any host failed).
    let finalStatus: @Sendable (_ job: Job) -> (status: String, explanation: String)?
    /// Called when an inventory update starts: the test plays inventory-script's part and
    /// sets `inventory` to what the source synced.
    let onInventoryUpdate: @Sendable (_ double: AWXTestDouble, _ update: Int) async -> Void
    private let server = LoopbackServer()

    init(
        counters: @escaping @Sendable (String, Int, Int) -> Counters = { _, _, _ in Counters(ok: 3, changed: 1) },
        finalStatus: @escaping @Sendable (Job) -> (status: String, explanation: String)? = { _ in nil },
        onInventoryUpdate: @escaping @Sendable (AWXTestDouble, Int) async -> Void = { _, _ in }
    ) {
        self.counters = counters
        self.finalStatus = finalStatus
        self.onInventoryUpdate = onInventoryUpdate
    }

    var url: String { "http://127.0.0.1:\(server.port)" }

    /// The environment AWX's own tools read, pointing at this double.
    var environment: [String: String] { ["CONTROLLER_HOST": url, "CONTROLLER_OAUTH_TOKEN": token] }

    var launches: [Job] { state.withLock { $0.launches } }

    func job(_ id: Int) -> Job? { state.withLock { $0.jobs[id] } }

    func start() async throws {
        await server.start(
            label: "awx-test-double",
            responder: CallbackResponder<BasicRequestContext> { [self] request, _ in try await self.respond(request) })
    }

    func stop() { server.stop() }
}
