-- pgbench script for scripts/bench-replicas.sh: one claim (rule 5, a new batch) and its
-- completion on ONE cursor, as the engine sends them to PostgreSQL (Sources/BatchSource/
-- Engine: CursorRow.lockQuery, ClaimCandidates, BatchRow.lease, BatchRow.completionQuery,
-- BatchLifecycle.finish; the engine names the cursor in its lookups so that they go out right
-- behind the lock, which pgbench, reading the lock's answer first, does not), run by pgbench,
-- a C client with prepared statements: about the fastest any client drives this sequence, so
-- its rate is the ceiling of one cursor on this machine, whatever the service.
-- Needs :cursor_name (a cursor with a batch size of 1 and a large max_in_flight); every
-- transaction locks that cursor's row, as every claim and completion of the engine does.
BEGIN;
SELECT c.id AS cid, c.revision_id AS rid, c.next_position AS np, c.next_batch AS nb,
       EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now
  FROM (SELECT * FROM cursors WHERE name = :cursor_name FOR UPDATE) c
  JOIN pools p ON p.id = c.pool_id JOIN pool_revisions r ON r.id = c.revision_id \gset
SELECT * FROM (SELECT 2 AS kind, batch_id, state FROM batches WHERE cursor_id = :cid AND consumer = 'ceiling-' || :client_id
               AND state = 'leased' ORDER BY batch_id LIMIT 1) AS held
UNION ALL SELECT * FROM (SELECT 3, batch_id, state FROM batches WHERE cursor_id = :cid AND state = 'available' ORDER BY batch_id LIMIT 1) AS released
UNION ALL SELECT * FROM (SELECT 4, batch_id, state FROM batches WHERE cursor_id = :cid AND state = 'leased'
                         AND lease_expires_at <= :now::float8 ORDER BY batch_id LIMIT 1) AS expired
UNION ALL SELECT 5, COUNT(*), NULL FROM batches WHERE cursor_id = :cid AND state = 'leased' AND lease_expires_at > :now::float8;
INSERT INTO batches (cursor_id, batch_id, start_position, host_count, state, attempt, consumer, claim_key, leased_at, lease_expires_at)
  VALUES (:cid, :nb, :np, 1, 'leased', 1, 'ceiling-' || :client_id, NULL, :now::float8, :now::float8 + 300);
INSERT INTO batch_attempts (cursor_id, batch_id, attempt, consumer, claim_key, leased_at)
  VALUES (:cid, :nb, 1, 'ceiling-' || :client_id, NULL, :now::float8);
UPDATE cursors SET next_position = :np + 1, next_batch = :nb + 1, updated_at = 'now' WHERE id = :cid;
COMMIT;
BEGIN;
SELECT c.id, EXTRACT(EPOCH FROM clock_timestamp())::float8 AS now2
  FROM (SELECT * FROM cursors WHERE name = :cursor_name FOR UPDATE) c
  JOIN pools p ON p.id = c.pool_id JOIN pool_revisions r ON r.id = c.revision_id \gset
SELECT *, (SELECT COUNT(*) FROM batches WHERE cursor_id = :cid AND state = 'leased' AND lease_expires_at > :now2::float8)
  FROM (SELECT batch_id, state, attempt FROM batches WHERE cursor_id = :cid AND batch_id = :nb) AS b;
SELECT p.position, p.host_idx, h.name, h.vars, h.groups, p.status FROM cursor_plan p
  JOIN pool_hosts h ON h.revision_id = :rid AND h.idx = p.host_idx
  WHERE p.cursor_id = :cid AND p.position >= :np AND p.position < :np + 1 ORDER BY p.position;
UPDATE cursor_plan SET status = 'ok' WHERE cursor_id = :cid AND position >= :np AND position < :np + 1;
UPDATE batch_attempts SET ended_at = :now2::float8, outcome = 'completed' WHERE cursor_id = :cid AND batch_id = :nb AND attempt = 1;
UPDATE batches SET state = 'completed', results = '{}', completed_at = :now2::float8 WHERE cursor_id = :cid AND batch_id = :nb;
UPDATE cursors SET hosts_ok = hosts_ok + 1, batches_completed = batches_completed + 1, updated_at = 'now' WHERE id = :cid;
COMMIT;
