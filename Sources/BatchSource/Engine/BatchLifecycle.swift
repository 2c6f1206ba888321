import Foundation
import InventoryModel
import Metrics

/// Completing, extending and giving back batches, and what completion does to the cursor.
enum BatchLifecycle {
    /// Completes a batch with per-host results (unnamed hosts are ok), updates the cursor's
    /// counts, then checks thresholds, `pause_after`, the end of a tier and of the rollout,
    /// writing each change to the audit trail. Returns the batch's hosts, which it had to read anyway.
    @discardableResult
    static func finish(
        _ batch: inout BatchRow, cursor c: inout CursorRow, statuses: [String: HostStatus], now: Double,
        hosts known: [PlanHost]? = nil, forcedBy: String? = nil, actor: String?, log: inout CursorEventLog,
        tx: any StoreTransaction
    ) throws -> [PlanHost] {
        let hosts =
            try known
            ?? PlanQuery.hosts(
                tx, cursorId: c.id, revisionId: c.revisionId, start: batch.startPosition, count: batch.hostCount)
        let names = Set(hosts.map(\.name))
        if let stranger = statuses.keys.sorted().first(where: { !names.contains($0) }) {
            throw EngineError.invalid("host \(stranger) is not in batch \(batch.batchId) of cursor \(c.name)")
        }
        var results: [String: HostStatus] = [:]
        var failed = 0
        // The whole slice as ok in one statement, then one per host with another result: a
        // statement per host costs a network round trip each on PostgreSQL.
        try tx.execute(
            "UPDATE cursor_plan SET status = 'ok' WHERE cursor_id = ? AND position >= ? AND position < ?",
            [SQLValue(c.id), SQLValue(batch.startPosition), SQLValue(batch.startPosition + batch.hostCount)])
        for host in hosts {
            let status = statuses[host.name] ?? .ok
            results[host.name] = status
            c.counts[status, default: 0] += 1
            if status.isFailure { failed += 1 }
            if status != .ok {
                try tx.execute(
                    "UPDATE cursor_plan SET status = ? WHERE cursor_id = ? AND position = ?",
                    [.text(status.rawValue), SQLValue(c.id), SQLValue(host.position)])
            }
        }
        try batch.endAttempt("completed", now: now, forcedBy: forcedBy, tx: tx, cursorId: c.id)
        batch.state = .completed
        batch.results = BatchRow.encodeResults(results)
        batch.completedAt = now
        try batch.save(tx, cursorId: c.id)
        c.batchesCompleted += 1
        c.lastCompletedAt = now
        Counter(label: "batch_source_completions_total", dimensions: [("cursor", c.name)]).increment()
        Gauge(label: "batch_source_hosts_done", dimensions: [("cursor", c.name)]).record(c.hostsDone)
        var details: JSONObject = [
            "consumer": batch.consumer.map { .string($0) } ?? .null, "attempt": .int(batch.attempt),
        ]
        for status in HostStatus.allCases {
            details[status.rawValue] = .int(results.values.lazy.filter { $0 == status }.count)
        }
        if let forcedBy { details["forced_by"] = .string(forcedBy) }
        try log.record(.completed, &c, at: now, actor: actor, batch: batch.batchId, details: details, tx: tx)

        guard c.state == .active || c.state == .paused else { return hosts }
        if let reason = tripped(batch: batch.batchId, size: hosts.count, failed: failed, cursor: c) {
            c.state = .halted
            c.stateReason = reason
            try log.record(.halted, &c, at: now, batch: batch.batchId, reason: reason, tx: tx)
        } else if !c.hasMore {
            c.state = .done
            c.stateReason = nil
            try log.record(.done, &c, at: now, batch: batch.batchId, tx: tx)
        } else if c.state == .active && c.settings.pauseAfter.contains(batch.batchId) {
            c.state = .paused
            c.stateReason = "paused after batch \(batch.batchId) (pause_after)"
            try log.record(.paused, &c, at: now, batch: batch.batchId, reason: c.stateReason, tx: tx)
        } else if c.state == .active, let tier = try RolloutRules.tierJustCompleted(c, batch: batch, tx: tx) {
            c.state = .paused
            c.stateReason = "paused after tier \(tier + 1) (pause_between_tiers)"
            try log.record(.paused, &c, at: now, batch: batch.batchId, reason: c.stateReason, tx: tx)
        }
        return hosts
    }

    /// Ansible's rules: a batch whose every host failed stops the play; `max_fail_percentage`
    /// trips when `int(pct / 100 * batch) < failed`; `max_failed_hosts` when the rollout's
    /// failed and unreachable hosts exceed it.
    static func tripped(batch: Int, size: Int, failed: Int, cursor c: CursorRow) -> String? {
        if let pct = c.settings.maxFailPercentage, Int(pct / 100.0 * Double(size)) < failed {
            return
                "batch \(batch): \(failed) of \(size) hosts failed or unreachable, more than max_fail_percentage "
                + "\(pct.formatted())%"
        }
        if size > 0 && failed == size {
            return "batch \(batch): all \(size) hosts failed or unreachable"
        }
        if let max = c.settings.maxFailedHosts, c.hostsFailed > max {
            return "\(c.hostsFailed) hosts failed or unreachable in this rollout, more than max_failed_hosts \(max)"
        }
        return nil
    }

    /// Fencing: the caller must name the attempt that holds the batch now (for a completed
    /// batch, the attempt that completed it) by its consumer and/or claim key, or be an admin
    /// who says `force`. A lease that ran out still belongs to its attempt until another claim
    /// takes the batch over. Returns who forced it, for the attempt's record.
    @discardableResult
    /// With the holder's consumer, a claim key it claimed the batch under again (the next AWX
    /// inventory update, a restarted `play`) names the attempt too; `claimedUnder` says so.
    static func checkHolder(
        _ batch: BatchRow, _ claim: some AttemptClaim, forcedBy: String?, cursor: String,
        claimedUnder: (String) throws -> Bool
    ) throws -> String? {
        if claim.force {
            guard let forcedBy else {
                throw EngineError(
                    code: "forbidden", status: 403, message: "force acts for a batch's holder and needs the admin scope"
                )
            }
            return forcedBy
        }
        guard claim.consumer != nil || claim.claimKey != nil else {
            throw EngineError.invalid(
                "name the attempt of batch \(batch.batchId) you hold: consumer and/or claim_key as it was claimed "
                    + "(an admin acting for its holder sends force: true)")
        }
        let consumerMatches = claim.consumer.map { $0 == batch.consumer } ?? true
        var keyMatches = true
        if let key = claim.claimKey, key != batch.claimKey {
            keyMatches = claim.consumer != nil && consumerMatches && batch.consumer != nil
            if keyMatches { keyMatches = try claimedUnder(key) }
        }
        guard consumerMatches && keyMatches else {
            let caller = [claim.consumer.map { "consumer \($0)" }, claim.claimKey.map { "claim key \($0)" }]
                .compactMap { $0 }.joined(separator: " and ")
            let holder = [batch.consumer.map { "consumer \($0)" }, batch.claimKey.map { "claim key \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            throw EngineError.conflict(
                "not_holder",
                "batch \(batch.batchId) of cursor \(cursor) is held by attempt \(batch.attempt) (\(holder)), not by "
                    + "\(caller); nothing was changed. Claim again for a batch of your own")
        }
        return nil
    }

    /// Whether `key` is a claim key the batch was handed out under (rule 1's record).
    static func isClaimKey(_ key: String, of batch: BatchRow, cursorId: Int, _ tx: any StoreTransaction) throws -> Bool
    {
        try tx.row(
            "SELECT 1 AS found FROM claim_keys WHERE cursor_id = ? AND claim_key = ? AND batch_id = ?",
            [SQLValue(cursorId), .text(key), SQLValue(batch.batchId)]) != nil
    }
}

extension CursorService {
    /// Completes a batch. The same results again are a no-op; other results are a conflict.
    /// `forcedBy` is the admin token's name when the caller may use `force`.
    public func complete(
        _ cursor: String, batch batchId: Int, _ request: CompleteRequest, forcedBy: String? = nil,
        actor: String? = nil
    ) async throws -> BatchInfo {
        try await recordingWrite { tx, log in
            // The lock and what the completion reads go out together (see the claim rules).
            let nowArgument = try tx.nowArgument()
            let answers = try tx.rows(ofEach: [
                CursorRow.lockQuery(cursor, tx.dialect),
                BatchRow.completionQuery(cursor: cursor, batchId: batchId, now: nowArgument, tx.dialect),
            ])
            var (c, _) = try CursorRow.loaded(answers[0], name: cursor, tx: tx)
            guard case (var batch, let inFlight, let now)? = try BatchRow.completion(answers[1]) else {
                throw EngineError.notFound("batch of cursor \(cursor)", String(batchId))
            }
            let hosts = try PlanQuery.hosts(
                tx, cursorId: c.id, revisionId: c.revisionId, start: batch.startPosition, count: batch.hostCount)
            let nowDate = Date(timeIntervalSince1970: now)
            let statuses = request.statuses
            if batch.state == .completed {
                try BatchLifecycle.checkHolder(
                    batch, request, forcedBy: forcedBy, cursor: cursor,
                    claimedUnder: { try BatchLifecycle.isClaimKey($0, of: batch, cursorId: c.id, tx) })
                var wanted = batch.decodedResults.mapValues { _ in HostStatus.ok }
                for (host, status) in statuses { wanted[host] = status }
                guard wanted == batch.decodedResults else {
                    throw EngineError.conflict(
                        "batch_completed",
                        "batch \(batchId) of cursor \(cursor) was already completed with other results")
                }
                return try BatchPayload.info(batch, hosts: hosts, now: now, groups: nil)
            }
            guard batch.state == .leased else {
                throw EngineError.conflict(
                    "batch_not_leased",
                    "batch \(batchId) of cursor \(cursor) was released and is not held by anyone; claim it first")
            }
            let forced = try BatchLifecycle.checkHolder(
                batch, request, forcedBy: forcedBy, cursor: cursor,
                claimedUnder: { try BatchLifecycle.isClaimKey($0, of: batch, cursorId: c.id, tx) })
            let wasInFlight = !batch.isExpired(at: now)
            try BatchLifecycle.finish(
                &batch, cursor: &c, statuses: statuses, now: now, hosts: hosts, forcedBy: forced, actor: actor,
                log: &log, tx: tx)
            try c.save(tx, now: RFC3339.string(from: nowDate))
            Gauge(label: "batch_source_batches_in_flight", dimensions: [("cursor", c.name)]).record(
                inFlight - (wasInFlight ? 1 : 0))
            return try BatchPayload.info(batch, hosts: hosts, now: now, groups: nil)
        }
    }

    /// Extends the lease of a held batch (and records an external reference, if given).
    public func heartbeat(_ cursor: String, batch batchId: Int, _ request: LeaseRequest, forcedBy: String? = nil)
        async throws -> BatchInfo
    {
        try await changeLease(cursor, batchId, request, forcedBy: forcedBy) { batch, c, now, forced, tx, _ in
            let seconds = request.leaseSeconds ?? c.settings.leaseSeconds
            batch.leaseExpiresAt = now + Double(seconds)
            if let forced { try batch.recordForce(by: forced, tx: tx, cursorId: c.id) }
        }
    }

    /// Gives a held batch back unfinished: the next claim takes it up again.
    public func release(
        _ cursor: String, batch batchId: Int, _ request: LeaseRequest, forcedBy: String? = nil, actor: String? = nil
    ) async throws -> BatchInfo {
        try await changeLease(cursor, batchId, request, forcedBy: forcedBy) { batch, c, now, forced, tx, log in
            var details: JSONObject = [
                "consumer": batch.consumer.map { .string($0) } ?? .null, "attempt": .int(batch.attempt),
            ]
            if let forced { details["forced_by"] = .string(forced) }
            try batch.endAttempt("released", now: now, forcedBy: forced, tx: tx, cursorId: c.id)
            batch.state = .available
            batch.leaseExpiresAt = nil
            try log.record(
                .released, &c, at: now, actor: actor, batch: batch.batchId, reason: request.reason, details: details,
                tx: tx)
            try c.save(tx, now: RFC3339.string(fromEpoch: now))
        }
    }

    private func changeLease(
        _ cursor: String, _ batchId: Int, _ request: LeaseRequest, forcedBy: String?,
        _ change:
            @escaping @Sendable (
                inout BatchRow, inout CursorRow, Double, String?, any StoreTransaction, inout CursorEventLog
            ) throws -> Void
    )
        async throws -> BatchInfo
    {
        try await recordingWrite { tx, log in
            var (c, nowDate) = try CursorRow.lockForChange(tx, name: cursor)
            let now = nowDate.timeIntervalSince1970
            guard var batch = try BatchRow.load(tx, cursorId: c.id, batchId: batchId) else {
                throw EngineError.notFound("batch of cursor \(cursor)", String(batchId))
            }
            guard batch.state == .leased else {
                throw EngineError.conflict(
                    batch.state == .completed ? "batch_completed" : "batch_not_leased",
                    "batch \(batchId) of cursor \(cursor) is "
                        + "\(batch.state == .completed ? "completed" : "not held by anyone")"
                )
            }
            let forced = try BatchLifecycle.checkHolder(
                batch, request, forcedBy: forcedBy, cursor: cursor,
                claimedUnder: { try BatchLifecycle.isClaimKey($0, of: batch, cursorId: c.id, tx) })
            // Read before the writes, which then go out without a wait on PostgreSQL.
            let hosts = try PlanQuery.hosts(
                tx, cursorId: c.id, revisionId: c.revisionId, start: batch.startPosition, count: batch.hostCount)
            if let ref = request.externalRef {
                batch.externalRef = ref
                try tx.execute(
                    "UPDATE batch_attempts SET external_ref = ? WHERE cursor_id = ? AND batch_id = ? AND attempt = ?",
                    [.text(ref), SQLValue(c.id), SQLValue(batchId), SQLValue(batch.attempt)])
            }
            try change(&batch, &c, now, forced, tx, &log)
            try batch.save(tx, cursorId: c.id)
            return try BatchPayload.info(batch, hosts: hosts, now: now, groups: nil)
        }
    }
}
