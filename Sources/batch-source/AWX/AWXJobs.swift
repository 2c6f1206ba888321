import Foundation
import InventoryModel

/// Which kind of template the drive launches.
enum AWXTemplateKind: Sendable {
    case job, workflow

    var collection: String { self == .job ? "/api/v2/job_templates/" : "/api/v2/workflow_job_templates/" }
    var label: String { self == .job ? "job template" : "workflow job template" }
    var flag: String { self == .job ? "--job-template" : "--workflow-template" }
}

/// The AWX calls of a rollout: find a template, launch it, update an inventory source,
/// follow a job to its end, read its per-host results.
extension AWXClient {
    /// A template by id (digits) or by exact name.
    func template(_ kind: AWXTemplateKind, _ idOrName: String) async throws -> AWXTemplate {
        if let id = Int(idOrName), id > 0 {
            return try await get(kind.collection + "\(id)/")
        }
        let page: AWXPage<AWXTemplate> = try await get(kind.collection, query: [("name", idOrName)])
        switch page.results.count {
        case 1: return page.results[0]
        case 0:
            throw CLIError(
                "AWX has no \(kind.label) named \"\(idOrName)\" that this user can see; check \(kind.flag) (a name "
                    + "or an id)",
                exitCode: DriveExit.usage)
        default:
            throw CLIError(
                "AWX has \(page.results.count) \(kind.label)s named \"\(idOrName)\" (ids "
                    + "\(page.results.map { String($0.id) }.joined(separator: ", "))); pass the id to \(kind.flag)",
                exitCode: DriveExit.usage)
        }
    }

    /// `POST …/launch/`: returns the job (or workflow job) it started.
    func launch(_ kind: AWXTemplateKind, id: Int, limit: String?, extraVars: JSONObject) async throws -> AWXJobRef {
        var body: JSONObject = [:]
        if let limit { body["limit"] = .string(limit) }
        if !extraVars.isEmpty { body["extra_vars"] = .object(extraVars) }
        let path = kind.collection + "\(id)/launch/"
        let answer: AWXLaunchAnswer = try await post(path, body: body)
        let ref: AWXJobRef
        if let workflowJob = answer.workflowJob {
            // A workflow, or a sliced job template.
            ref = AWXJobRef(kind: .workflowJob, id: workflowJob, host: settings.host)
        } else if let job = answer.job ?? answer.id {
            ref = AWXJobRef(kind: kind == .job ? .job : .workflowJob, id: job, host: settings.host)
        } else {
            throw AWXError.malformed(path: path, reason: "the launch answer names no job")
        }
        // AWX before 3.3 ignored prompts a template does not take instead of refusing them: a
        // job without the batch limit would run on the whole inventory.
        if limit != nil, case .object(let ignored)? = answer.ignoredFields, ignored["limit"] != nil {
            // The message must not claim a cancel that did not happen: the job may be running
            // on every host of the inventory.
            let canceled: String
            do {
                canceled =
                    try await cancel(ref)
                    ? "it was canceled" : "it had ended before it could be canceled: check in AWX what it did"
            } catch {
                canceled = "canceling it failed (\(error)): cancel it in AWX now"
            }
            throw CLIError(
                """
                AWX ignored the batch limit for \(kind.label) \(id) (ignored_fields: limit), so \(ref) would have run \
                on its whole inventory; \(canceled). Tick "Prompt on launch" beside Limit on the template \
                (ask_limit_on_launch: true).
                """, exitCode: DriveExit.usage)
        }
        return ref
    }

    /// `POST /api/v2/inventory_sources/ID/update/` → 202 `{"inventory_update": N}`.
    func updateInventorySource(_ id: Int) async throws -> AWXJobRef {
        let path = "/api/v2/inventory_sources/\(id)/update/"
        let answer: AWXUpdateAnswer = try await post(path, body: [:])
        guard let update = answer.inventoryUpdate ?? answer.id else {
            throw AWXError.malformed(path: path, reason: "the answer names no inventory_update")
        }
        return AWXJobRef(kind: .inventoryUpdate, id: update, host: settings.host)
    }

    func status(_ ref: AWXJobRef) async throws -> AWXUnifiedJob {
        try await get(ref.path)
    }

    /// Asks AWX to cancel a job (`POST …/cancel/`, answered 202 with no body); false when AWX
    /// says it cannot be canceled any more (405: it has ended).
    func cancel(_ ref: AWXJobRef) async throws -> Bool {
        do {
            _ = try await sendRaw(.POST, ref.path + "cancel/", body: Data("{}".utf8))
            return true
        } catch AWXError.rejected(405, _, _, _) {
            return false
        }
    }

    /// The job's events after `counter`, in order (`job_events/?counter__gt=…&order_by=counter`).
    func events(_ ref: AWXJobRef, after counter: Int) async throws -> [AWXJobEvent] {
        try await all(
            ref.path + "job_events/",
            query: [("counter__gt", String(counter)), ("order_by", "counter"), ("page_size", "200")])
    }

    func workflowNodes(_ ref: AWXJobRef) async throws -> [AWXWorkflowNode] {
        try await all(ref.path + "workflow_nodes/", query: [("page_size", "200")])
    }

    /// Per-host counters of a finished job, every page; for a workflow, summed over the jobs
    /// its nodes ran (nested workflows included).
    func hostSummaries(_ ref: AWXJobRef, depth: Int = 0) async throws -> [String: HostSummary] {
        var merged: [String: HostSummary] = [:]
        switch ref.kind {
        case .job:
            let rows: [AWXHostSummary] = try await all(ref.path + "job_host_summaries/", query: [("page_size", "200")])
            for row in rows { merged[row.hostName, default: HostSummary()].add(row.counters) }
        case .workflowJob:
            guard depth < 8 else { return [:] }
            for node in try await workflowNodes(ref) {
                guard
                    let job = node.summaryFields?.job
                        ?? node.job.map({ AWXWorkflowNode.Summary.Job(id: $0, type: "job") })
                else { continue }
                let kind: AWXJobRef.Kind
                switch job.type ?? "job" {
                case "job": kind = .job
                case "workflow_job": kind = .workflowJob
                default: continue  // project or inventory updates, approvals: no hosts
                }
                let child = try await hostSummaries(
                    AWXJobRef(kind: kind, id: job.id, host: settings.host), depth: depth + 1)
                for (host, counters) in child { merged[host, default: HostSummary()].add(counters) }
            }
        case .inventoryUpdate:
            break
        }
        return merged
    }
}
