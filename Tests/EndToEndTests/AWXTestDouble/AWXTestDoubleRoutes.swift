import Foundation
import Hummingbird
import NIOCore

// The AWX test double's routes: what AWX's API answers, path by path.
extension AWXTestDouble {
    func respond(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        state.withLock { $0.requests.append("\(method) \(path)") }
        if let fault = takeFault(method: method, path: path) {
            switch fault {
            case .status(let status, _, _, _):
                return Self.json(status, ["detail": "A server error occurred."])
            case .delay(let seconds, _, _):
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            }
        }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return Self.json(
                401,
                [
                    "detail":
                        "Authentication credentials were not provided. To establish a login session, visit /api/login/."
                ])
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v2", path.hasSuffix("/") else {
            return Self.json(404, ["detail": "Not found."])
        }
        var body: [String: Any] = [:]
        if method == "POST" {
            let buffer = try await request.body.collect(upTo: 64 << 20)
            if buffer.readableBytes > 0 {
                guard
                    let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
                        as? [String: Any]
                else {
                    return Self.json(400, ["detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"])
                }
                body = object
            }
        }
        let rest = Array(parts.dropFirst(2))
        switch (method, rest.count) {
        case ("GET", 1) where rest[0] == "job_templates" || rest[0] == "workflow_job_templates":
            return listTemplates(rest[0], name: query["name"])
        case ("GET", 2) where rest[0] == "job_templates" || rest[0] == "workflow_job_templates":
            return template(rest[0], Int(rest[1]) ?? -1)
        case ("POST", 3)
        where (rest[0] == "job_templates" || rest[0] == "workflow_job_templates") && rest[2] == "launch":
            return launch(rest[0], Int(rest[1]) ?? -1, body: body)
        case ("POST", 3) where rest[0] == "inventory_sources" && rest[2] == "update":
            guard let id = Int(rest[1]), state.withLock({ $0.inventorySources.contains(id) }) else {
                return Self.json(404, ["detail": "Not found."])
            }
            let update = state.withLock { s -> Int in
                s.nextId += 1
                s.jobs[s.nextId] = Job(
                    id: s.nextId, kind: .inventoryUpdate, template: id, limit: nil, extraVarsJSON: "{}")
                return s.nextId
            }
            await onInventoryUpdate(self, update)
            return Self.json(
                202, ["inventory_update": update, "id": update, "type": "inventory_update", "status": "pending"])
        case ("GET", 2):
            guard let kind = Kind(rawValue: rest[0]), let id = Int(rest[1]),
                let job = state.withLock({ s in Self.advance(&s, id, double: self) }), job.kind == kind
            else {
                return Self.json(404, ["detail": "Not found."])
            }
            return Self.json(200, detail(job))
        case ("POST", 3) where rest[2] == "cancel":
            // AWX: 202 and the job goes to canceled; 405 once it cannot be canceled (it ended).
            guard let id = Int(rest[1]),
                let cancelable = state.withLock({ s -> Bool? in
                    guard s.jobs[id] != nil else { return nil }
                    s.cancelRequests.append(id)
                    guard !AWXTestDouble.terminal.contains(s.jobs[id]!.status) else { return false }
                    s.jobs[id]!.status = "canceled"
                    return true
                })
            else { return Self.json(404, ["detail": "Not found."]) }
            guard cancelable else { return Self.json(405, ["error": "Not allowed to cancel this job."]) }
            return Response(status: .accepted)
        case ("GET", 3) where rest[0] == "jobs" && rest[2] == "job_host_summaries":
            guard let job = Int(rest[1]).flatMap(self.job), job.kind == .job else {
                return Self.json(404, ["detail": "Not found."])
            }
            let rows: [[String: Any]] =
                AWXTestDouble.terminal.contains(job.status)
                ? hosts(of: job).map { host in
                    let c = counters(host, job.template, job.id)
                    return [
                        "id": abs(host.hashValue % 100_000), "host_name": host, "job": job.id, "ok": c.ok,
                        "changed": c.changed,
                        "failures": c.failures, "dark": c.dark, "skipped": c.skipped, "ignored": 0, "rescued": 0,
                        "processed": 1, "failed": c.failures > 0 || c.dark > 0,
                    ]
                } : []
            return page(rows, path: path, query: query)
        case ("GET", 3) where rest[0] == "jobs" && rest[2] == "job_events":
            guard let job = Int(rest[1]).flatMap(self.job), job.kind == .job else {
                return Self.json(404, ["detail": "Not found."])
            }
            let after = Int(query["counter__gt"] ?? "") ?? 0
            return page(events(of: job).filter { ($0["counter"] as? Int ?? 0) > after }, path: path, query: query)
        case ("GET", 3) where rest[0] == "workflow_jobs" && rest[2] == "workflow_nodes":
            guard let job = Int(rest[1]).flatMap(self.job), job.kind == .workflowJob else {
                return Self.json(404, ["detail": "Not found."])
            }
            let nodes: [[String: Any]] = job.children.compactMap(self.job).map { child in
                [
                    "id": child.id + 50_000, "job": child.id, "do_not_run": false,
                    "summary_fields": [
                        "job": [
                            "id": child.id, "name": "node \(child.template)", "status": child.status, "type": "job",
                            "failed": child.status == "failed",
                        ]
                    ],
                ]
            }
            return page(nodes, path: path, query: query)
        default:
            return Self.json(404, ["detail": "Not found."])
        }
    }

    struct LaunchRefusal: Error {
        var fields: [String: [String]]
    }

    static let terminal: Set<String> = ["successful", "failed", "error", "canceled"]

    private func takeFault(method: String, path: String) -> Fault? {
        state.withLock { s in
            for (i, fault) in s.faults.enumerated() {
                switch fault {
                case .status(let status, let p, let m, let times) where path.contains(p) && m == method && times > 0:
                    s.faults[i] = .status(status, path: p, method: m, times: times - 1)
                    return fault
                case .delay(let seconds, let p, let times) where path.contains(p) && times > 0:
                    s.faults[i] = .delay(seconds, path: p, times: times - 1)
                    return fault
                default: continue
                }
            }
            return nil
        }
    }

    private func listTemplates(_ collection: String, name: String?) -> Response {
        let all: [(Int, String)] = state.withLock { s in
            collection == "job_templates"
                ? s.jobTemplates.values.map { ($0.id, $0.name) } : s.workflowTemplates.values.map { ($0.id, $0.name) }
        }
        let rows = all.filter { name == nil || $0.1 == name }.sorted { $0.0 < $1.0 }.map {
            ["id": $0.0, "name": $0.1] as [String: Any]
        }
        return Self.json(200, ["count": rows.count, "next": NSNull(), "previous": NSNull(), "results": rows])
    }

    private func template(_ collection: String, _ id: Int) -> Response {
        let found: [String: Any]? = state.withLock { s in
            if collection == "job_templates", let t = s.jobTemplates[id] {
                return [
                    "id": t.id, "name": t.name, "type": "job_template", "ask_limit_on_launch": t.askLimit,
                    "ask_variables_on_launch": t.askVariables,
                ]
            }
            if collection == "workflow_job_templates", let t = s.workflowTemplates[id] {
                return [
                    "id": t.id, "name": t.name, "type": "workflow_job_template", "ask_limit_on_launch": t.askLimit,
                    "ask_variables_on_launch": true,
                ]
            }
            return nil
        }
        return found.map { Self.json(200, $0) } ?? Self.json(404, ["detail": "Not found."])
    }

    private func launch(_ collection: String, _ id: Int, body: [String: Any]) -> Response {
        let limit = body["limit"] as? String
        let vars = body["extra_vars"] as? [String: Any] ?? [:]
        let varsJSON = String(
            decoding: (try? JSONSerialization.data(withJSONObject: vars, options: [.sortedKeys])) ?? Data("{}".utf8),
            as: UTF8.self)
        let outcome: Result<Job, LaunchRefusal>? = state.withLock { s -> Result<Job, LaunchRefusal>? in
            var errors: [String: [String]] = [:]
            if collection == "job_templates" {
                guard let t = s.jobTemplates[id] else { return nil }
                if let limit, !limit.isEmpty, !t.askLimit, !t.ignoresLimit {
                    errors["limit"] = ["Field is not configured to prompt on launch."]
                }
                if !vars.isEmpty, !t.askVariables {
                    errors["extra_vars"] = [
                        "Variables \(vars.keys.sorted().joined(separator: ", ")) provided, but this template cannot "
                            + "accept variables."
                    ]
                }
                if !errors.isEmpty { return .failure(LaunchRefusal(fields: errors)) }
                s.nextId += 1
                let job = Job(
                    id: s.nextId, kind: .job, template: id, limit: t.ignoresLimit ? nil : limit, extraVarsJSON: varsJSON
                )
                s.jobs[job.id] = job
                s.launches.append(job)
                return .success(job)
            }
            guard let t = s.workflowTemplates[id] else { return nil }
            if let limit, !limit.isEmpty, !t.askLimit {
                return .failure(LaunchRefusal(fields: ["limit": ["Field is not configured to prompt on launch."]]))
            }
            s.nextId += 1
            var workflow = Job(id: s.nextId, kind: .workflowJob, template: id, limit: limit, extraVarsJSON: varsJSON)
            for node in t.nodes {
                s.nextId += 1
                s.jobs[s.nextId] = Job(id: s.nextId, kind: .job, template: node, limit: limit, extraVarsJSON: varsJSON)
                workflow.children.append(s.nextId)
            }
            s.jobs[workflow.id] = workflow
            s.launches.append(workflow)
            return .success(workflow)
        }
        switch outcome {
        case nil: return Self.json(404, ["detail": "Not found."])
        case .failure(let refusal)?: return Self.json(400, refusal.fields)
        case .success(let job)?:
            var answer = detail(job)
            answer[job.kind == .job ? "job" : "workflow_job"] = job.id
            answer["ignored_fields"] = job.limit == nil && limit?.isEmpty == false ? ["limit": limit!] : [String: Any]()
            return Self.json(201, answer)
        }
    }

    /// One poll moves a job one state on: pending → waiting → running → its end.
    static func advance(_ s: inout State, _ id: Int, double: AWXTestDouble) -> Job? {
        guard var job = s.jobs[id] else { return nil }
        job.polls += 1
        if job.kind == .workflowJob {
            for child in job.children { _ = advance(&s, child, double: double) }
        }
        switch job.status {
        case "pending": job.status = "waiting"
        case "waiting": job.status = "running"
        case "running" where !s.holdRunning:
            if job.kind == .workflowJob {
                let children = job.children.compactMap { s.jobs[$0] }
                guard children.allSatisfy({ terminal.contains($0.status) }) else { break }
                job.status = children.allSatisfy { $0.status == "successful" } ? "successful" : "failed"
            } else if let forced = double.finalStatus(job) {
                job.status = forced.status
                job.explanation = forced.explanation
            } else if job.kind == .inventoryUpdate {
                job.status = "successful"
            } else {
                let failing = hosts(of: job, inventory: s.inventory).contains { host in
                    let c = double.counters(host, job.template, job.id)
                    return c.failures > 0 || c.dark > 0
                }
                job.status = failing ? "failed" : "successful"
            }
        default: break
        }
        s.jobs[id] = job
        return job
    }

    /// The hosts a job runs on: its limit, as far as the AWX inventory holds them (the whole
    /// inventory without a limit).
    static func hosts(of job: Job, inventory: Set<String>?) -> [String] {
        guard let limit = job.limit, !limit.isEmpty else { return (inventory ?? []).sorted() }
        let names = limit.split(separator: ",").map(String.init)
        return inventory.map { set in names.filter(set.contains) } ?? names
    }

    func hosts(of job: Job) -> [String] { Self.hosts(of: job, inventory: state.withLock { $0.inventory }) }

    private func events(of job: Job) -> [[String: Any]] {
        guard job.status != "pending" && job.status != "waiting" else { return [] }
        var events: [[String: Any]] = [
            ["counter": 1, "event": "playbook_on_start", "stdout": ""],
            ["counter": 2, "event": "playbook_on_play_start", "stdout": "\nPLAY [rollout] *****"],
        ]
        guard AWXTestDouble.terminal.contains(job.status) else { return events }
        for host in hosts(of: job) {
            let c = counters(host, job.template, job.id)
            let text =
                c.dark > 0
                ? "fatal: [\(host)]: UNREACHABLE!"
                : c.failures > 0 ? "fatal: [\(host)]: FAILED!" : c.changed > 0 ? "changed: [\(host)]" : "ok: [\(host)]"
            events.append([
                "counter": events.count + 1, "event": "runner_on_ok", "host_name": host,
                "stdout": "\u{1B}[0;32m\(text)\u{1B}[0m",
            ])
        }
        events.append(["counter": events.count + 1, "event": "playbook_on_stats", "stdout": "\nPLAY RECAP *****"])
        return events
    }

    private func detail(_ job: Job) -> [String: Any] {
        [
            "id": job.id,
            "type": job.kind == .job ? "job" : job.kind == .workflowJob ? "workflow_job" : "inventory_update",
            "url": "/api/v2/\(job.kind.rawValue)/\(job.id)/", "name": "template \(job.template)", "status": job.status,
            "failed": job.status == "failed" || job.status == "error", "elapsed": Double(job.polls) * 1.5,
            "job_explanation": job.explanation, "limit": job.limit ?? "",
        ]
    }

    /// AWX pagination: `page` from 1, `page_size` up to the double's maximum, `next` as a path.
    private func page(_ rows: [[String: Any]], path: String, query: [String: String]) -> Response {
        let maxSize = state.withLock { $0.pageSize }
        let size = max(1, min(Int(query["page_size"] ?? "") ?? maxSize, maxSize))
        let number = max(1, Int(query["page"] ?? "") ?? 1)
        let start = min(rows.count, (number - 1) * size)
        let slice = Array(rows[start..<min(rows.count, start + size)])
        func link(_ n: Int) -> String {
            var q = query
            q["page"] = String(n)
            return path + "?" + q.keys.sorted().map { "\($0)=\(q[$0]!)" }.joined(separator: "&")
        }
        return Self.json(
            200,
            [
                "count": rows.count, "next": start + size < rows.count ? link(number + 1) as Any : NSNull() as Any,
                "previous": number > 1 ? link(number - 1) as Any : NSNull() as Any, "results": slice,
            ])
    }

    static func json(_ status: Int, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
