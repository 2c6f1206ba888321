import Foundation
import Synchronization

/// A claimer as a real user runs it: claim a batch for its consumer, "work", complete it,
/// until the cursor is done. Connection errors (the service was killed) and 5xx are retried
/// with the same consumer, so the claim rules hand the same batch back.
struct Drainer: Sendable {
    let service: ServiceProcess
    let cursor: String
    let token: String

    /// What one drainer saw: the batches it completed, with their hosts.
    struct Completed: Sendable { var batch: Int; var hosts: [String] }

    func run(consumer: String, deadline: Date) async throws -> [Completed] {
        var done: [Completed] = []
        let base = service.url + "/api/v1/cursors/\(cursor)"
        while Date() < deadline {
            let claim: (Int, Any?)
            do {
                claim = try await HTTP.json(.POST, base + "/claim", token: token, ["consumer": consumer])
            } catch {
                try await Task.sleep(for: .milliseconds(50))  // the service is down or restarting
                continue
            }
            let body = claim.1 as? [String: Any]
            switch claim.0 {
            case 200:
                guard let batch = body?["batch"] as? [String: Any] else {
                    if body?["has_more"] as? Bool == false { return done }
                    throw ServiceProcessError(
                        "claim answered 200 without a batch while has_more: \(String(describing: body))")
                }
                let id = batch["batch_id"] as? Int ?? -1
                let hosts = batch["hosts"] as? [String] ?? []
                var finished = false
                while !finished && Date() < deadline {
                    let answer: (Int, Any?)
                    do {
                        answer = try await HTTP.json(
                            .POST, base + "/batches/\(id)/complete", token: token,
                            ["results": [String: String](), "consumer": consumer])
                    } catch {
                        // Killed mid-request: claiming again gives this consumer the batch back
                        // (or the next one, when the completion had committed).
                        try await Task.sleep(for: .milliseconds(50))
                        break
                    }
                    if answer.0 == 200 {
                        done.append(Completed(batch: id, hosts: hosts))
                        finished = true
                    } else if answer.0 >= 500 {
                        try await Task.sleep(for: .milliseconds(50))
                    } else {
                        throw ServiceProcessError(
                            "complete of batch \(id) answered \(answer.0): \(String(describing: answer.1))")
                    }
                }
            case 409 where (body?["error"] as? [String: Any])?["code"] as? String == "no_batch_free":
                try await Task.sleep(for: .milliseconds(20))
            case 500...:
                try await Task.sleep(for: .milliseconds(50))
            default:
                throw ServiceProcessError("claim answered \(claim.0): \(String(describing: body))")
            }
        }
        throw ServiceProcessError("drainer \(consumer) ran out of time")
    }
}

/// Builds an INI pool of `count` hosts in a few groups, with a var each.
enum PoolText {
    static func ini(hosts count: Int) -> String {
        var lines: [String] = []
        lines.reserveCapacity(count + 10)
        for g in 0..<4 {
            lines.append("[group\(g)]")
            var i = g
            while i < count {
                lines.append("host\(String(format: "%06d", i)).example.net idx=\(i)")
                i += 4
            }
        }
        lines += ["[fleet:children]", "group0", "group1", "group2", "group3", "[fleet:vars]", "tier=prod"]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Reads every completed batch of a cursor through the API, page by page.
enum CursorAudit {
    static func completedBatches(_ service: ServiceProcess, cursor: String, token: String) async throws -> [(
        Int, [String]
    )] {
        var result: [(Int, [String])] = []
        var offset = 0
        while true {
            // Pages of 200: a page of 1,000 batches of 100 hosts, read while other suites load the
            // machine, can stay silent past the HTTP client's 90 s read timeout.
            let (status, body) = try await HTTP.json(
                .GET, service.url + "/api/v1/cursors/\(cursor)/batches?state=completed&limit=200&offset=\(offset)",
                token: token)
            guard status == 200, let page = body as? [String: Any], let items = page["items"] as? [[String: Any]] else {
                throw ServiceProcessError("listing batches answered \(status)")
            }
            for item in items { result.append((item["batch_id"] as? Int ?? -1, item["hosts"] as? [String] ?? [])) }
            offset += items.count
            if items.isEmpty || offset >= page["total"] as? Int ?? 0 { return result }
        }
    }

    static func cursor(_ service: ServiceProcess, _ name: String, token: String) async throws -> [String: Any] {
        let (status, body) = try await HTTP.json(.GET, service.url + "/api/v1/cursors/\(name)", token: token)
        guard status == 200, let object = body as? [String: Any] else {
            throw ServiceProcessError("GET cursor answered \(status)")
        }
        return object
    }
}
