import Foundation
import GRDB
import Synchronization

/// Runs the engine's write transactions in groups: every write that arrives while a group is
/// being committed waits for the next group, which runs them one after another, each in its
/// own savepoint, and commits them together with a single fsync.
///
/// Each write still sees the effects of the writes before it (they run in order, on one
/// connection), a failing write rolls back only its own savepoint, and no caller hears of
/// success before the group's COMMIT is on disk. Under load this turns one fsync and one
/// writer-queue hop per transaction into one per group.
final class SQLiteGroupCommit: Sendable {
    private let pool: DatabasePool
    private let state = Mutex<(jobs: [Job], draining: Bool)>(([], false))
    /// A group's size bound, so one group never holds its callers for long.
    private let maxGroup = 128

    private struct Job: Sendable {
        /// Runs the body in a savepoint and keeps its outcome.
        let run: @Sendable (Database) -> Void
        /// Answers the caller once the group committed (nil) or failed (the error).
        let finish: @Sendable ((any Error)?) -> Void
    }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = Mutex<Result<T, any Error>?>(nil)
            let job = Job(
                run: { db in
                    do {
                        try Self.run("SAVEPOINT engine_write", db)
                    } catch {
                        outcome.withLock { $0 = .failure(error) }
                        return
                    }
                    do {
                        let value = try body(db)
                        try Self.run("RELEASE SAVEPOINT engine_write", db)
                        outcome.withLock { $0 = .success(value) }
                    } catch {
                        try? Self.run("ROLLBACK TO SAVEPOINT engine_write", db)
                        try? Self.run("RELEASE SAVEPOINT engine_write", db)
                        outcome.withLock { $0 = .failure(error) }
                    }
                },
                finish: { groupError in
                    if let groupError {
                        continuation.resume(throwing: groupError)
                    } else {
                        continuation.resume(
                            with: outcome.withLock { $0 } ?? .failure(StoreUnavailableError("write was not run")))
                    }
                })
            let startDrain = state.withLock { s -> Bool in
                s.jobs.append(job)
                if s.draining { return false }
                s.draining = true
                return true
            }
            if startDrain { drain() }
        }
    }

    /// Runs one of the group's fixed statements from GRDB's statement cache: `execute(sql:)`
    /// parses the SQL every time, four times per write.
    private static func run(_ sql: String, _ db: Database) throws {
        try SQLiteStatements.execute(
            try db.cachedStatement(sql: sql).sqliteStatement, [], connection: db.sqliteConnection)
    }

    private func drain() {
        pool.asyncWriteWithoutTransaction { db in
            while true {
                let jobs = self.state.withLock { s -> [Job] in
                    let take = Array(s.jobs.prefix(self.maxGroup))
                    s.jobs.removeFirst(take.count)
                    if take.isEmpty { s.draining = false }
                    return take
                }
                if jobs.isEmpty { return }
                var groupError: (any Error)?
                do {
                    try Self.run("BEGIN IMMEDIATE", db)
                    for job in jobs { job.run(db) }
                    try Self.run("COMMIT", db)
                } catch {
                    groupError = error
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                }
                for job in jobs { job.finish(groupError) }
            }
        }
    }
}
