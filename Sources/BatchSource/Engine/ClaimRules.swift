import Foundation
import InventoryModel
import Metrics

/// The claim rules of DESIGN.md, in their order, in one transaction:
/// 1. a claim key seen before returns the same batch; 2. a consumer that holds an unfinished
/// batch gets it again (explicit ack) or completes it as ok and goes on (auto ack); 3. a cursor
/// that is not active says its state and why (done: no batch, `has_more` false); 4. an expired
/// or released batch is handed out again, attempt + 1; 5. while fewer than `max_in_flight`
/// batches are out, the next batch is leased; 6. else nothing is free: when to ask again.
extension CursorService {
    /// Claims a batch; `ackOverride` forces an ack mode (the seed endpoint claims with `auto`).
    /// `actor` is the token's name, for the audit trail.
    public func claim(_ cursor: String, _ request: ClaimRequest, ackOverride: AckMode? = nil, actor: String? = nil)
        async throws -> ClaimResponse
    {
        guard !request.consumer.isEmpty else { throw EngineError.invalid("consumer must not be empty") }
        let replica = self.replica
        let (outcome, gateChecks) = try await recordingWrite {
            tx, log -> (Result<ClaimDecision, EngineError>, [GateCheckStart]) in
            var gateChecks: [GateCheckStart] = []
            // The lock and every lookup of the rules go out together, and the lookups run once
            // the lock is granted, judging leases by the database clock of that moment. The
            // writes come after all reads, so on PostgreSQL they go out without a wait either
            // (see PostgresTransaction): a claim waits for two answers while it holds the lock.
            let nowArgument = try tx.nowArgument()
            let answers = try tx.rows(ofEach: [
                CursorRow.lockQuery(cursor, tx.dialect),
                ClaimCandidates.query(
                    cursor: cursor, consumer: request.consumer, claimKey: request.claimKey, now: nowArgument, tx.dialect
                ),
            ])
            var (c, _) = try CursorRow.loaded(answers[0], name: cursor, tx: tx)
            var seen = try ClaimCandidates(answers[1])
            let now = seen.now
            let stamp = RFC3339.string(from: Date(timeIntervalSince1970: now))
            var who: JSONObject = ["consumer": .string(request.consumer)]
            if let key = request.claimKey { who["claim_key"] = .string(key) }

            /// A claim refused because new batches wait (a window, a bake, a gate, the tier
            /// before): the wait is written to the audit trail when it begins, not at every claim.
            func wait(_ what: String, _ refusal: EngineError) throws -> Result<ClaimDecision, EngineError> {
                if c.waitingFor != what {
                    c.waitingFor = what
                    try log.record(.waiting, &c, at: now, actor: actor, reason: refusal.message, tx: tx)
                    try c.save(tx, now: stamp)
                }
                return .failure(refusal)
            }

            // The batch's hosts are read after the transaction (they never change): fewer
            // statements while the cursor is locked.
            func answer(_ batch: BatchRow?, inFlight: Int) throws -> Result<ClaimDecision, EngineError> {
                let info = try batch.map { try BatchPayload.info($0, hosts: [], now: now, groups: nil) }
                let progress = c.info(inFlight: inFlight).progress
                Gauge(label: "batch_source_batches_in_flight", dimensions: [("cursor", c.name)]).record(
                    progress.batchesInFlight)
                return .success(
                    ClaimDecision(
                        response: ClaimResponse(
                            cursor: c.name, cursorState: c.state, hasMore: c.hasMore, batch: info, progress: progress),
                        slice: batch.map {
                            PlanSlice(
                                cursorId: c.id, revisionId: c.revisionId, batchId: $0.batchId, start: $0.startPosition,
                                count: $0.hostCount)
                        }))
            }

            func remember(_ key: String?, _ batchId: Int) throws {
                guard let key else { return }
                try tx.execute(
                    "INSERT INTO claim_keys (cursor_id, claim_key, batch_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    [SQLValue(c.id), .text(key), SQLValue(batchId)])
            }

            // Rule 1: the same claim key, the same batch, whatever happened since.
            if let batch = seen.keyed {
                return (try answer(batch, inFlight: seen.inFlight), [])
            }

            // Rule 2: the consumer's unfinished batch (a lease that ran out still counts while nobody took it).
            if var held = seen.held {
                if (ackOverride ?? c.settings.ack) == .explicit {
                    var inFlight = seen.inFlight
                    if held.isExpired(at: now) {
                        held.leaseExpiresAt = now + Double(c.settings.leaseSeconds)
                        try held.save(tx, cursorId: c.id)
                        inFlight += 1
                    }
                    try remember(request.claimKey, held.batchId)
                    return (try answer(held, inFlight: inFlight), [])
                }
                try BatchLifecycle.finish(
                    &held, cursor: &c, statuses: [:], now: now, actor: actor, log: &log, tx: tx)
                try c.save(tx, now: stamp)
                // Finishing changed what is in flight and what may go out again.
                seen = try ClaimCandidates.load(tx, cursor: cursor, consumer: request.consumer, claimKey: nil, now: now)
            }

            // Rule 3: only an active cursor hands out batches.
            switch c.state {
            case .active: break
            case .done: return (try answer(nil, inFlight: seen.inFlight), [])
            default: return (.failure(EngineError.notActive(c.name, c.state, reason: c.stateReason)), [])
            }

            // Rollout safety: outside a maintenance window no batch starts, new or again.
            let next = seen.inFlight < c.settings.maxInFlight ? c.cutter.peek(batchSize: c.settings.batchSize) : nil
            if seen.again != nil || next != nil, let closed = try RolloutRules.windowRefusal(c, now: now) {
                return (try wait("window", closed), [])
            }

            // Rule 4: a batch whose lease ran out, or that was given back, goes out again.
            if var batch = seen.again {
                if batch.state == .leased {
                    try batch.endAttempt("expired", now: now, tx: tx, cursorId: c.id)
                    Counter(label: "batch_source_lease_expiries_total", dimensions: [("cursor", c.name)]).increment()
                    try log.record(
                        .expired, &c, at: now, batch: batch.batchId,
                        details: [
                            "consumer": batch.consumer.map { .string($0) } ?? .null, "attempt": .int(batch.attempt),
                        ],
                        tx: tx)
                }
                try batch.lease(
                    to: request.consumer, claimKey: request.claimKey, now: now, seconds: c.settings.leaseSeconds,
                    tx: tx, cursorId: c.id)
                try batch.save(tx, cursorId: c.id)
                try remember(request.claimKey, batch.batchId)
                Counter(label: "batch_source_redeliveries_total", dimensions: [("cursor", c.name)]).increment()
                who["attempt"] = .int(batch.attempt)
                try log.record(.redelivered, &c, at: now, actor: actor, batch: batch.batchId, details: who, tx: tx)
                c.waitingFor = nil
                try c.save(tx, now: stamp)
                return (try answer(batch, inFlight: seen.inFlight + 1), [])
            }

            // Rule 5: the next batch, while fewer than max_in_flight are out, once the tier
            // before completed, the bake time passed and the gates are healthy.
            if let cut = next {
                if let refusal = RolloutRules.tierRefusal(c, cut: cut, inFlight: seen.inFlight, now: now) {
                    return (try wait("tier \(cut.tier)", refusal), [])
                }
                if let refusal = RolloutRules.bakeRefusal(c, now: now) {
                    return (try wait("bake after \(c.batchesCompleted)", refusal), [])
                }
                if cut.batch > 1 && !c.settings.gates.isEmpty {
                    let judged = try GateChecks.judge(tx, cursor: c, batch: cut.batch, now: now, replica: replica)
                    if let refusal = judged.refusal {
                        return (try wait("gates before \(cut.batch)", refusal), judged.starts)
                    }
                }
                // Inserted already leased: one statement instead of insert, read back, update.
                var batch = BatchRow(
                    batchId: cut.batch, startPosition: cut.positions.lowerBound, hostCount: cut.positions.count)
                try batch.lease(
                    to: request.consumer, claimKey: request.claimKey, now: now, seconds: c.settings.leaseSeconds,
                    tx: tx, cursorId: c.id,
                    insertingBatch: true)
                c.advance(past: cut)
                who["hosts"] = .int(cut.positions.count)
                try log.record(.claimed, &c, at: now, actor: actor, batch: batch.batchId, details: who, tx: tx)
                c.waitingFor = nil
                try c.save(tx, now: stamp)
                try remember(request.claimKey, batch.batchId)
                return (try answer(batch, inFlight: seen.inFlight + 1), [])
            }

            // Rule 6: nothing free now; the earliest lease end says when to ask again.
            let nextExpiry = try tx.row(
                "SELECT MIN(lease_expires_at) AS first_end FROM batches WHERE cursor_id = ? AND state = 'leased'",
                [SQLValue(c.id)]
            )?["first_end"].double
            let wait = max(1, min(60, Int(((nextExpiry ?? now + 5) - now).rounded(.up))))
            return (.failure(EngineError.noBatchFree(c.name, inFlight: seen.inFlight, retryAfter: wait)), [])
        }
        for start in gateChecks { gateRunner.start(start, service: self) }
        Counter(
            label: "batch_source_claims_total",
            dimensions: [("cursor", cursor), ("outcome", (try? outcome.get()) != nil ? "batch" : "refused")]
        ).increment()
        return try await answer(try outcome.get())
    }

    /// What a claim by this consumer (or claim key) would re-read, without claiming anything:
    /// the batch the key got, else the consumer's unfinished batch, else 404.
    public func currentBatch(_ cursor: String, consumer: String?, claimKey: String?) async throws -> ClaimResponse {
        let decided = try await store.read { tx in
            let nowArgument = try tx.nowArgument()
            let answers = try tx.rows(ofEach: [
                CursorRow.readQuery(cursor, tx.dialect),
                ClaimCandidates.query(
                    cursor: cursor, consumer: consumer ?? "", claimKey: claimKey, now: nowArgument, tx.dialect),
            ])
            let (c, _) = try CursorRow.loaded(answers[0], name: cursor, tx: tx)
            let seen = try ClaimCandidates(answers[1])
            let now = seen.now
            let batch = seen.keyed ?? (consumer == nil ? nil : seen.held)
            guard let batch else {
                throw EngineError(
                    code: "no_current_batch", status: 404,
                    message: "consumer \(consumer ?? "-") holds no batch of cursor \(cursor); claim one first")
            }
            return ClaimDecision(
                response: ClaimResponse(
                    cursor: c.name, cursorState: c.state, hasMore: c.hasMore,
                    batch: try BatchPayload.info(batch, hosts: [], now: now, groups: nil),
                    progress: c.info(inFlight: seen.inFlight).progress),
                slice: PlanSlice(
                    cursorId: c.id, revisionId: c.revisionId, batchId: batch.batchId, start: batch.startPosition,
                    count: batch.hostCount))
        }
        return try await answer(decided)
    }

    /// Completes a decided claim with its batch's inventory, from the cache or read once.
    private func answer(_ decided: ClaimDecision) async throws -> ClaimResponse {
        var response = decided.response
        guard let slice = decided.slice else { return response }
        let (store, cache) = (self.store, self.cache)
        let key = BatchInventoryKey(cursorId: slice.cursorId, batchId: slice.batchId)
        let inventory = try await inventories.value(for: key, cost: \.cost) {
            try await store.read { tx in
                let groups = try cache.groupTable(slice.revisionId) {
                    try RevisionLoader.groupTable(tx, revisionId: slice.revisionId)
                }
                let hosts = try PlanQuery.hosts(
                    tx, cursorId: slice.cursorId, revisionId: slice.revisionId, start: slice.start, count: slice.count)
                return try BatchInventory(hosts: hosts, groups: groups)
            }
        }
        response.batch?.hosts = inventory.hosts
        response.batch?.hostvars = inventory.hostvars
        response.batch?.groups = inventory.groups
        return response
    }
}
