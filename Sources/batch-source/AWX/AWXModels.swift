import InventoryModel

// AWX's answers, as far as the drive reads them (keys are AWX's snake_case, decoded with
// `.convertFromSnakeCase`). Fields the drive does not need are left out; all others optional
// where older AWX versions may not send them.

/// A page of an AWX list: `{"count", "next", "previous", "results"}`.
struct AWXPage<T: Decodable & Sendable>: Decodable, Sendable {
    var count: Int?
    var next: String?
    var previous: String?
    var results: [T]
}

/// A job template or workflow job template, as `GET /api/v2/job_templates/ID/` shows it.
struct AWXTemplate: Decodable, Sendable {
    var id: Int
    var name: String
    var askLimitOnLaunch: Bool?
    var askVariablesOnLaunch: Bool?
}

/// The answer to a launch: `job` for a job, `workflow_job` for a workflow (or a sliced job
/// template, which AWX runs as a workflow), with the job's own fields beside.
struct AWXLaunchAnswer: Decodable, Sendable {
    var id: Int?
    var job: Int?
    var workflowJob: Int?
    var ignoredFields: JSONValue?
}

/// `POST /api/v2/inventory_sources/ID/update/` → 202 `{"inventory_update": N, …}`.
struct AWXUpdateAnswer: Decodable, Sendable {
    var id: Int?
    var inventoryUpdate: Int?
}

/// A job, workflow job or inventory update (`/api/v2/jobs/N/` and friends).
struct AWXUnifiedJob: Decodable, Sendable {
    var id: Int
    var name: String?
    var status: String
    var failed: Bool?
    var elapsed: Double?
    var jobExplanation: String?
    var limit: String?

    var isFinished: Bool { AWXJobState.terminal.contains(status) }
}

enum AWXJobState {
    /// `new → pending → waiting → running`, then one of these.
    static let terminal: Set<String> = ["successful", "failed", "error", "canceled"]
}

/// One row of `/api/v2/jobs/N/job_host_summaries/`.
struct AWXHostSummary: Decodable, Sendable {
    var hostName: String
    var ok: Int?
    var changed: Int?
    var failures: Int?
    var dark: Int?
    var skipped: Int?
    var rescued: Int?
    var ignored: Int?

    var counters: HostSummary {
        HostSummary(
            ok: ok ?? 0, changed: changed ?? 0, failures: failures ?? 0, dark: dark ?? 0, skipped: skipped ?? 0,
            rescued: rescued ?? 0, ignored: ignored ?? 0)
    }
}

/// One node of `/api/v2/workflow_jobs/N/workflow_nodes/`.
struct AWXWorkflowNode: Decodable, Sendable {
    struct Summary: Decodable, Sendable {
        struct Job: Decodable, Sendable {
            var id: Int
            var name: String?
            var status: String?
            var type: String?
        }
        var job: Job?
    }
    var id: Int
    var job: Int?
    var doNotRun: Bool?
    var summaryFields: Summary?
}

/// One event of `/api/v2/jobs/N/job_events/`.
struct AWXJobEvent: Decodable, Sendable {
    var counter: Int
    var event: String?
    var stdout: String?
}

extension HostSummary {
    /// Adds another job's counters for the same host (a workflow runs several jobs).
    mutating func add(_ other: HostSummary) {
        ok += other.ok
        changed += other.changed
        failures += other.failures
        dark += other.dark
        skipped += other.skipped
        rescued += other.rescued
        ignored += other.ignored
    }
}
