import InventoryModel

/// The facts of a claim that `--list` puts into the `all` group's vars, so that plays read them
/// from any host, the implicit `localhost` included: `hostvars['localhost'].has_more`.
///
/// | var | what |
/// | --- | --- |
/// | `has_more` | true while any host of the cursor is in no completed batch |
/// | `batch_id` | the batch number, from 1 (`null` once the rollout is done) |
/// | `batch_cursor`, `batch_cursor_state` | the cursor and its state |
/// | `batch_attempt` | which hand-out of this batch this is |
/// | `batch_host_count` | hosts in this batch |
/// | `batch_total_hosts`, `batch_hosts_done`, `batch_hosts_failed`, `batch_hosts_unreachable` | the rollout's progress |
/// | `batches_total`, `batches_completed` | batches of the rollout, and how many are completed |
/// | `batch_lease_expires_at` | when the lease ends unless extended (RFC 3339) |
/// | `batch_consumer`, `batch_claim_key` | who holds it, which attempt: what completing it needs |
/// | `batch_source_url` | the service's address (never the token) |
/// | `batch_inventory_mode` | `batch` or `pool` |
public enum BatchFacts {
    public static func vars(_ claim: ClaimResponse, settings: ScriptSettings) -> JSONObject {
        let batch = claim.batch
        let progress = claim.progress
        var vars = JSONObject()
        vars["has_more"] = .bool(claim.hasMore)
        vars["batch_id"] = batch.map { .int($0.batchId) } ?? .null
        vars["batch_cursor"] = .string(claim.cursor)
        vars["batch_cursor_state"] = .string(claim.cursorState.rawValue)
        vars["batch_attempt"] = batch.map { .int($0.attempt) } ?? .null
        vars["batch_host_count"] = .int(batch?.hosts.count ?? 0)
        vars["batch_total_hosts"] = .int(progress.totalHosts)
        vars["batch_hosts_done"] = .int(progress.hostsDone)
        vars["batch_hosts_failed"] = .int(progress.hostsFailed)
        vars["batch_hosts_unreachable"] = .int(progress.hostsUnreachable)
        vars["batches_total"] = .int(progress.batchesTotal)
        vars["batches_completed"] = .int(progress.batchesCompleted)
        vars["batch_lease_expires_at"] = batch?.leaseExpiresAt.map { .string($0) } ?? .null
        vars["batch_consumer"] = .string(batch?.consumer ?? settings.consumer)
        vars["batch_claim_key"] = (batch?.claimKey).map { .string($0) } ?? .null
        vars["batch_source_url"] = .string(settings.service.description)
        vars["batch_inventory_mode"] = .string(settings.mode.rawValue)
        return vars
    }
}
