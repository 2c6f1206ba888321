import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization

/// A claimer in front of several replicas, as behind a load balancer: it prefers its home
/// replica and moves to the next one when a replica refuses connections or answers 5xx.
///
/// Each logical claim has a claim key (as AWX's inventory update id), reused while the claim
/// is retried, so a claim that committed but whose answer was lost returns the same batch.
/// Completions carry the key, so a holder whose lease ran out and was taken is told so.
struct ReplicaClient: Sendable {
    let replicas: [String]
    let cursor: String
    let token: String

    /// One batch as this client got it.
    struct Handout: Sendable {
        var batch: Int
        var attempt: Int
        var consumer: String
        var hosts: [String]
    }

    struct Report: Sendable {
        var completed: [Handout] = []
        /// Batches this client dropped on purpose (a consumer that "crashed" and never came back).
        var abandoned: [Handout] = []
        /// Completions refused with not_holder: the lease ran out and someone else took it.
        var lost: [Handout] = []
        /// 5xx answers and refused connections seen (and retried).
        var failures = 0
    }

    /// Drains until the cursor is done. Every `abandonEvery`-th batch is dropped and the
    /// client goes on under a new consumer name, leaving that batch to expire.
    func run(client: Int, deadline: Date, abandonEvery: Int? = nil) async throws -> Report {
        var report = Report()
        var generation = 0
        var claims = 0
        let base = "/api/v1/cursors/\(cursor)"
        while Date() < deadline {
            let consumer = "client-\(client)-\(generation)"
            let key = "key-\(client)-\(generation)-\(claims)"
            let (status, body) = try await send(
                .POST, base + "/claim", ["consumer": consumer, "claim_key": key], home: client,
                deadline: deadline, failures: &report.failures)
            switch status {
            case 200:
                guard let batch = body?["batch"] as? [String: Any] else {
                    guard body?["has_more"] as? Bool == false else {
                        throw ServiceProcessError("200 without a batch: \(String(describing: body))")
                    }
                    return report
                }
                claims += 1
                let handout = Handout(
                    batch: batch["batch_id"] as? Int ?? -1, attempt: batch["attempt"] as? Int ?? -1,
                    consumer: consumer, hosts: batch["hosts"] as? [String] ?? [])
                if let every = abandonEvery, claims % every == 0 {
                    report.abandoned.append(handout)
                    generation += 1
                    continue
                }
                let (done, answer) = try await send(
                    .POST, base + "/batches/\(handout.batch)/complete",
                    ["results": [String: String](), "consumer": consumer, "claim_key": key],
                    home: client, deadline: deadline, failures: &report.failures)
                let code = (answer?["error"] as? [String: Any])?["code"] as? String
                if done == 200 {
                    report.completed.append(handout)
                } else if done == 409 && code == "not_holder" {
                    report.lost.append(handout)
                } else {
                    throw ServiceProcessError(
                        "complete of batch \(handout.batch) answered \(done): \(String(describing: answer))")
                }
            case 409 where (body?["error"] as? [String: Any])?["code"] as? String == "no_batch_free":
                try await Task.sleep(for: .milliseconds(20))
            default:
                throw ServiceProcessError("claim answered \(status): \(String(describing: body))")
            }
        }
        throw ServiceProcessError("client \(client) ran out of time")
    }

    /// Sends until some replica gives an answer that is not a 5xx.
    func send(
        _ method: HTTPMethod, _ path: String, _ object: [String: Any], home: Int, deadline: Date,
        failures: inout Int
    ) async throws -> (Int, [String: Any]?) {
        var replica = home % replicas.count
        while Date() < deadline {
            if let (status, body) = try? await HTTP.json(method, replicas[replica] + path, token: token, object),
                status < 500
            {
                return (status, body as? [String: Any])
            }
            failures += 1
            replica = (replica + 1) % replicas.count
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServiceProcessError("no replica answered \(method) \(path) before the deadline")
    }
}
