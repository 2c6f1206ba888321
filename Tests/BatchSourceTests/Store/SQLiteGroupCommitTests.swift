import Foundation
import GRDB
import Synchronization
import Testing

@testable import BatchSource

/// Writes grouped into one transaction: each in its own savepoint, one COMMIT for all.
@Suite("SQLite group commit")
struct SQLiteGroupCommitTests {
    struct Failure: Error, Equatable { let name: String }

    /// A value shared by the test and its tasks.
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
    }

    /// A database with `items` and `children`, whose foreign key is checked only at COMMIT.
    static func database() throws -> (DatabasePool, String) {
        let directory = NSTemporaryDirectory() + "batch-source-group-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory + "/db.sqlite")
        try pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE items (name TEXT PRIMARY KEY);
                    CREATE TABLE children (parent TEXT REFERENCES items(name) DEFERRABLE INITIALLY DEFERRED);
                    """)
        }
        return (pool, directory)
    }

    static func names(_ pool: DatabasePool) throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM items ORDER BY name") }
    }

    /// Starts `writes` while a first write holds the writer, so that they all queue up and
    /// run as the next group; returns each one's outcome.
    static func oneGroup(_ group: SQLiteGroupCommit, _ writes: [@Sendable (Database) throws -> Void]) async throws
        -> [Result<Void, any Error>]
    {
        // The first write blocks the writer's own thread, never one of the test's.
        let release = DispatchSemaphore(value: 0)
        let holding = Shared(false)
        let first = Task {
            try await group.write { _ in
                holding.value.withLock { $0 = true }
                release.wait()
            }
        }
        while !holding.current { try await Task.sleep(for: .milliseconds(5)) }
        let queued = Shared(0)
        let tasks = writes.map { body in
            Task { () -> Result<Void, any Error> in
                queued.value.withLock { $0 += 1 }
                do { try await group.write(body); return .success(()) } catch { return .failure(error) }
            }
        }
        while queued.current < writes.count { try await Task.sleep(for: .milliseconds(5)) }
        // A moment for the last queued task to reach the group's list after counting itself.
        try await Task.sleep(for: .milliseconds(100))
        release.signal()
        try await first.value
        var outcomes: [Result<Void, any Error>] = []
        for task in tasks { outcomes.append(await task.value) }
        return outcomes
    }

    @Test("a write that throws rolls back only its own savepoint; the others of its group commit")
    func failingWriteRollsBackAlone() async throws {
        let (pool, directory) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let group = SQLiteGroupCommit(pool: pool)
        let outcomes = try await Self.oneGroup(
            group,
            [
                { db in try db.execute(sql: "INSERT INTO items VALUES ('a')") },
                { db in
                    try db.execute(sql: "INSERT INTO items VALUES ('b')")
                    throw Failure(name: "b")
                },
                { db in try db.execute(sql: "INSERT INTO items VALUES ('c')") },
            ])
        #expect((try? outcomes[0].get()) != nil && (try? outcomes[2].get()) != nil)
        guard case .failure(let error) = outcomes[1] else { Issue.record("the failing write succeeded"); return }
        #expect(error as? Failure == Failure(name: "b"), "its own error, not the group's")
        #expect(try Self.names(pool) == ["a", "c"])
    }

    @Test("a COMMIT that fails fails every write of its group, and none of them is stored")
    func failedCommitFailsTheGroup() async throws {
        let (pool, directory) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let group = SQLiteGroupCommit(pool: pool)
        let outcomes = try await Self.oneGroup(
            group,
            [
                { db in try db.execute(sql: "INSERT INTO items VALUES ('a')") },
                // Passes in its savepoint; the deferred foreign key fails the COMMIT.
                { db in try db.execute(sql: "INSERT INTO children VALUES ('nobody')") },
                { db in try db.execute(sql: "INSERT INTO items VALUES ('c')") },
            ])
        for (n, outcome) in outcomes.enumerated() {
            guard case .failure(let error) = outcome else {
                Issue.record("write \(n) succeeded although its COMMIT failed"); continue
            }
            #expect("\(error)".contains("FOREIGN KEY"), "\(error)")
        }
        #expect(try Self.names(pool).isEmpty)
        // The writer goes on: the next group commits.
        try await group.write { db in try db.execute(sql: "INSERT INTO items VALUES ('d')") }
        #expect(try Self.names(pool) == ["d"])
    }

    @Test("each write sees the writes before it in the same group")
    func writesSeeEarlierOnes() async throws {
        let (pool, directory) = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let group = SQLiteGroupCommit(pool: pool)
        let seen = Shared<[Int]>([])
        _ = try await Self.oneGroup(
            group,
            (0..<5).map { n in
                { db in
                    let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? -1
                    seen.value.withLock { $0.append(count) }
                    try db.execute(sql: "INSERT INTO items VALUES (?)", arguments: ["i\(n)"])
                }
            })
        #expect(seen.current == [0, 1, 2, 3, 4])
        #expect(try Self.names(pool).count == 5)
    }
}
