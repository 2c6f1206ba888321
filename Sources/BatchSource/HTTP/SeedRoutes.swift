import Hummingbird
import InventoryModel

/// `GET /api/nextBatch`: the seed document's endpoint, kept so its scripts work unchanged.
///
/// It is an `auto`-ack claim (asking again completes the consumer's last batch as ok), the
/// consumer is the token's name unless `?consumer=` names one, and a finished rollout answers
/// `batch_id` one past the last batch with no hosts and `has_more: false`.
struct SeedRoutes {
    let engine: BatchEngine
    let defaultCursor: String?

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/nextBatch") { request, context in
            let principal = try context.require(.claim)
            guard let cursor = request.query("cursor") ?? defaultCursor else {
                throw APIError(
                    status: 400, code: "bad_request",
                    message:
                        "name the cursor with ?cursor=NAME (this service has no default cursor; see serve "
                        + "--default-cursor)"
                )
            }
            let consumer = request.query("consumer").flatMap { $0.isEmpty ? nil : $0 } ?? principal.name
            let answer = try await engine.cursors.claim(
                cursor, ClaimRequest(consumer: consumer), ackOverride: .auto, actor: principal.name)
            let body: NextBatchResponse
            if let batch = answer.batch {
                body = NextBatchResponse(batchId: batch.batchId, hosts: batch.hosts, hasMore: answer.hasMore)
            } else {
                body = NextBatchResponse(batchId: answer.progress.batchesTotal + 1, hosts: [], hasMore: false)
            }
            return try Response.json(body)
        }
    }
}
