import Foundation
import InventoryModel
import NIOCore
import NIOPosix
import Logging
import PostgresNIO
import PostgresTestCluster
import Synchronization
import Testing

@testable import BatchSource

/// What only the PostgreSQL store has: several processes on one database, the database's
/// clock, races resolved by retrying, and a server that can go away and come back.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    static func open(_ url: String, poolSize: Int = 4) async throws -> PostgresStore {
        try await PostgresStore.open(try PostgresSettings(parsing: url + "&pool_size=\(poolSize)"))
    }

    @Test("? placeholders become $1, $2, …; question marks in quotes and comments stay")
    func placeholders() {
        let sql = "SELECT '?' , \"a?\", x FROM t WHERE a = ? AND b IN (?, ?) -- why?\nAND c = ?"
        #expect(
            PlaceholderTranslation.translate(uncached: sql)
                == "SELECT '?' , \"a?\", x FROM t WHERE a = $1 AND b IN ($2, $3) -- why?\nAND c = $4")
    }

    @Test(
        "a statement whose answer never comes fails as unavailable after the deadline; an answer in time passes through"
    )
    func answerDeadline() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let never = loop.makePromise(of: Int.self)
        let started = ContinuousClock.now
        #expect(throws: StoreUnavailableError.self) {
            try PostgresTransaction.answer(to: never.futureResult, from: nil, within: .milliseconds(200))
        }
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        never.succeed(1)  // a late answer after the deadline is ignored, not a crash
        let soon = loop.makePromise(of: Int.self)
        loop.scheduleTask(in: .milliseconds(20)) { soon.succeed(42) }
        #expect(try PostgresTransaction.answer(to: soon.futureResult, from: nil, within: .seconds(5)) == 42)
        let failing: EventLoopFuture<Int> = loop.makeFailedFuture(
            PostgresStatementError(sqlState: "42P01", message: "no such table", statement: "SELECT"))
        #expect(throws: PostgresStatementError.self) {
            try PostgresTransaction.answer(to: failing, from: nil, within: .seconds(5))
        }
    }

    @Test("a statement pending on a connection that closed fails as unavailable within seconds, not at the deadline")
    func closedConnectionUnderStatement() async throws {
        let settings = try PostgresSettings(parsing: try await StoreKind.newDatabase())
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresConnectionPool.configuration(settings), id: 1,
            logger: Logger(label: "test"))
        try await connection.close()
        let never = connection.eventLoop.makePromise(of: Int.self)
        let started = ContinuousClock.now
        let error = #expect(throws: StoreUnavailableError.self) {
            try PostgresTransaction.answer(to: never.futureResult, from: connection, within: .seconds(60))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error?.description.contains("closed") == true)
        never.succeed(0)
    }

    @Test("a postgres:// URL is read like libpq reads it; the password never shows")
    func urlParsing() throws {
        let s = try PostgresSettings(
            parsing: "postgres://app:s%40cret@db.example:6432/batch?sslmode=require&pool_size=12&connect_timeout=3",
            environment: [:])
        #expect(s.user == "app" && s.password == "s@cret" && s.host == "db.example" && s.port == 6432)
        #expect(s.database == "batch" && s.sslMode == .require && s.poolSize == 12 && s.connectTimeoutSeconds == 3)
        #expect(
            try PostgresSettings(parsing: "postgres:///batch?host=/run/postgresql", environment: [:]).unixSocketPath
                == "/run/postgresql/.s.PGSQL.5432")
        #expect(
            try PostgresSettings(parsing: "postgresql://u@h/d", environment: ["PGPASSWORD": "fromenv"]).password
                == "fromenv")
        let url = try DatabaseURL(parsing: "postgres://app:hunter2@db/batch?password=hunter3")
        #expect(!url.description.contains("hunter"))
        do {
            _ = try DatabaseURL(parsing: "postgres://app:hunter2@db/batch?sslmode=sometimes")
            Issue.record("a bad sslmode was accepted")
        } catch {
            #expect(error.description.contains("sslmode") && !error.description.contains("hunter2"))
        }
    }

    @Test("replicas starting together on a new database migrate it once")
    func concurrentMigrations() async throws {
        let url = try await StoreKind.newDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await Self.open(url, poolSize: 1) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let versions = try await stores[0].read { tx in
            try tx.rows("SELECT version FROM schema_migrations ORDER BY version", []).compactMap { $0[0].int }
        }
        #expect(versions == Array(1...Migrations.all(.postgres).count), "each version once")
        for s in stores { try await s.close() }
    }

    @Test("two replicas racing for one claim key get the same batch")
    func claimKeyRace() async throws {
        let url = try await StoreKind.newDatabase()
        let a = BatchEngine(store: try await Self.open(url)), b = BatchEngine(store: try await Self.open(url))
        defer {
            Task {
                try? await a.store.close(); try? await b.store.close()
            }
        }
        _ = try await a.pools.importPool(name: "fleet", text: "[web]\nweb[01:20]\n", format: .ini)
        _ = try await a.cursors.create(
            CursorCreateRequest(
                name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(5), maxInFlight: 4)))
        let answers = try await withThrowingTaskGroup(of: ClaimResponse.self) { group in
            for i in 0..<12 {
                let engine = i % 2 == 0 ? a : b
                group.addTask {
                    try await engine.cursors.claim("c", ClaimRequest(consumer: "awx-\(i % 3)", claimKey: "update-77"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.compactMap { $0.batch?.batchId }) == [1])
        #expect(Set(answers.compactMap { $0.batch?.attempt }) == [1])
        #expect(try await b.cursors.cursor("c").progress.batchesInFlight == 1)
    }

    @Test("claimers on two replicas drain a cursor: every host in exactly one completed batch")
    func twoReplicasDrain() async throws {
        let url = try await StoreKind.newDatabase()
        let engines = [BatchEngine(store: try await Self.open(url)), BatchEngine(store: try await Self.open(url))]
        defer { Task { for e in engines { try? await e.store.close() } } }
        _ = try await engines[0].pools.importPool(name: "fleet", text: "[web]\nweb[001:300]\n", format: .ini)
        _ = try await engines[0].cursors.create(
            CursorCreateRequest(
                name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(3), maxInFlight: 8)))
        let seen = try await withThrowingTaskGroup(of: [String].self) { group in
            for i in 0..<8 {
                let engine = engines[i % 2]
                group.addTask {
                    var hosts: [String] = []
                    while true {
                        let answer: ClaimResponse
                        do { answer = try await engine.cursors.claim("c", ClaimRequest(consumer: "w\(i)")) } catch let e
                            as EngineError where e.code == "no_batch_free"
                        {
                            try await Task.sleep(for: .milliseconds(5))
                            continue
                        }
                        guard let batch = answer.batch else { return hosts }
                        _ = try await engine.cursors.complete(
                            "c", batch: batch.batchId, CompleteRequest(consumer: batch.consumer))
                        hosts += batch.hosts
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(seen.count == 300)
        #expect(Set(seen).count == 300)
        let info = try await engines[1].cursors.cursor("c")
        #expect(info.state == .done && info.progress.hostsDone == 300 && info.progress.batchesCompleted == 100)
    }

    @Test("now() is the server's clock at the call, not the transaction's start")
    func databaseClock() async throws {
        let store = try await Self.open(try await StoreKind.newDatabase(), poolSize: 1)
        defer { Task { try? await store.close() } }
        let (first, second, serverStart) = try await store.read { tx -> (Date, Date, Double) in
            let first = try tx.now()
            Thread.sleep(forTimeInterval: 0.2)
            let start = try tx.row("SELECT EXTRACT(EPOCH FROM now())::float8", [])?[0].double ?? 0
            return (first, try tx.now(), start)
        }
        // The clock moves within the transaction and is not the transaction's start; how close
        // the first call comes to BEGIN depends on how busy the machine is, so that is only
        // bounded loosely (the same server clock, not another).
        #expect(second.timeIntervalSince(first) >= 0.19)
        #expect(second.timeIntervalSince1970 - serverStart >= 0.19)
        #expect(first.timeIntervalSince1970 >= serverStart - 0.001 && first.timeIntervalSince1970 - serverStart < 5)
    }

    @Test("a deadlock between two transactions is resolved by running the loser again")
    func deadlockRetried() async throws {
        let store = try await Self.open(try await StoreKind.newDatabase(), poolSize: 2)
        defer { Task { try? await store.close() } }
        try await store.write { tx in
            try tx.execute("CREATE TABLE pair (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)", [])
            try tx.execute("INSERT INTO pair VALUES (1, 0), (2, 0)", [])
        }
        let runs = RunCount()
        let firstUpdates = RunCount()
        let missed = RunCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (first, second) in [(1, 2), (2, 1)] {
                group.addTask {
                    try await store.write { tx in
                        runs.value.add(1, ordering: .relaxed)
                        // Both hold their first row before either takes its second, so they deadlock
                        // however busy the machine is; the first UPDATE is waited for (a plain one
                        // goes out without a wait), else a loaded server may run one whole first.
                        _ = try tx.row("UPDATE pair SET n = n + 1 WHERE id = ? RETURNING n", [SQLValue(first)])
                        firstUpdates.value.add(1, ordering: .relaxed)
                        let until = Date().addingTimeInterval(60)
                        while firstUpdates.value.load(ordering: .relaxed) < 2 && Date() < until {
                            Thread.sleep(forTimeInterval: 0.01)
                        }
                        if firstUpdates.value.load(ordering: .relaxed) < 2 { missed.value.add(1, ordering: .relaxed) }
                        try tx.execute("UPDATE pair SET n = n + 1 WHERE id = ?", [SQLValue(second)])
                    }
                }
            }
            try await group.waitForAll()
        }
        try #require(missed.value.load(ordering: .relaxed) == 0, "the other transaction did not start within 60 s")
        #expect(runs.value.load(ordering: .relaxed) >= 3, "one of the two must have been run again")
        let counts = try await store.read { tx in
            try tx.rows("SELECT n FROM pair ORDER BY id", []).compactMap { $0[0].int }
        }
        #expect(counts == [2, 2])
    }

    @Test(
        "writes go out without a wait, yet one that fails fails its transaction with its own error and leaves nothing")
    func unwaitedWriteFails() async throws {
        let store = try await Self.open(try await StoreKind.newDatabase(), poolSize: 1)
        defer { Task { try? await store.close() } }
        try await store.write { tx in try tx.execute("CREATE TABLE marks (id BIGINT PRIMARY KEY CHECK (id > 0))", []) }
        // Found at COMMIT, which PostgreSQL answers with ROLLBACK rather than an error.
        do {
            try await store.write { tx in
                try tx.execute("INSERT INTO marks VALUES (?)", [.int(1)])
                try tx.execute("INSERT INTO marks VALUES (?)", [.int(-1)])
                try tx.execute("INSERT INTO marks VALUES (?)", [.int(2)])
            }
            Issue.record("the transaction should have failed")
        } catch let e as PostgresStatementError {
            #expect(e.sqlState == "23514", "the failing write's own error, not 'current transaction is aborted': \(e)")
        }
        // Found by the next read, which PostgreSQL refuses because of it.
        do {
            _ = try await store.write { tx in
                try tx.execute("INSERT INTO marks VALUES (?)", [.int(3)])
                try tx.execute("INSERT INTO no_such_table VALUES (?)", [.int(4)])
                return try tx.int("SELECT COUNT(*) FROM marks", [])
            }
            Issue.record("the transaction should have failed")
        } catch let e as PostgresStatementError {
            #expect(e.sqlState == "42P01", "the failing write's own error: \(e)")
        }
        #expect(try await store.read { tx in try tx.int("SELECT COUNT(*) FROM marks", []) } == 0)
        // Writes that succeed are all there, in order, and visible to the transaction's reads.
        let seen = try await store.write { tx in
            for id in 1...300 { try tx.execute("INSERT INTO marks VALUES (?)", [.int(Int64(id))]) }
            return try tx.int("SELECT MAX(id) FROM marks", [])
        }
        #expect(seen == 300)
        #expect(try await store.read { tx in try tx.int("SELECT COUNT(*) FROM marks", []) } == 300)
    }

    @Test("a statement PostgreSQL refuses keeps its SQLSTATE and is not a 503")
    func statementError() async throws {
        let store = try await Self.open(try await StoreKind.newDatabase(), poolSize: 1)
        defer { Task { try? await store.close() } }
        do {
            try await store.write { tx in
                try tx.execute("SELECT * FROM no_such_table WHERE x = ?", [.text("secret-value")])
            }
            Issue.record("the statement should have failed")
        } catch let e as PostgresStatementError {
            #expect(e.sqlState == "42P01")
            #expect(!e.description.contains("secret-value"))
        }
        // The connection is usable afterwards.
        #expect(try await store.read { tx in try tx.int("SELECT 1", []) } == 1)
    }

    @Test(
        "PostgreSQL stops and starts: requests fail with StoreUnavailableError, nothing half-written, the store recovers by itself",
        .timeLimit(.minutes(3)))
    func serverRestart() async throws {
        // A cluster of its own: restarting the shared one would break the tests running beside.
        let cluster = try await PostgresTestCluster.start(tuning: .tests)
        defer { cluster.destroy() }
        try await cluster.sql("CREATE DATABASE restart")
        let store = try await Self.open(cluster.url(database: "restart"), poolSize: 3)
        defer { Task { try? await store.close() } }
        let engine = BatchEngine(store: store)
        _ = try await engine.pools.importPool(name: "fleet", text: "[web]\nweb[1:9]\n", format: .ini)
        _ = try await engine.cursors.create(
            CursorCreateRequest(name: "c", settings: CursorSettings(pool: "fleet", batchSize: try .count(3))))
        try await store.write { tx in try tx.execute("CREATE TABLE marks (name TEXT)", []) }
        #expect(await store.isReachable())

        // A transaction in flight when the server goes down: 503, and its first insert is gone.
        let inFlight = Task {
            try await store.write { tx in
                try tx.execute("INSERT INTO marks VALUES ('half')", [])
                try tx.execute("SELECT pg_sleep(30)", [])
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        try await cluster.stopServer(mode: "fast")
        await #expect(throws: StoreUnavailableError.self) { try await inFlight.value }
        await #expect(throws: StoreUnavailableError.self) {
            try await engine.cursors.claim("c", ClaimRequest(consumer: "a"))
        }
        #expect(await store.isReachable() == false)

        try await cluster.startServer()
        // Idle connections from before the restart are dead; the store replaces them unasked.
        let claim = try await engine.cursors.claim("c", ClaimRequest(consumer: "a"))
        #expect(claim.batch?.batchId == 1)
        #expect(await store.isReachable())
        #expect(try await store.read { tx in try tx.int("SELECT COUNT(*) FROM marks", []) } == 0)

        // Immediate shutdown (a crash) and recovery: what was committed stays.
        _ = try await engine.cursors.complete("c", batch: 1, CompleteRequest(consumer: "a"))
        try await cluster.restart(mode: "immediate")
        let info = try await engine.cursors.cursor("c")
        #expect(info.progress.hostsDone == 3 && info.progress.batchesCompleted == 1)
    }
}

/// How many times a transaction body ran (bodies are escaping, so the atomic needs a home).
final class RunCount: Sendable {
    let value = Atomic<Int>(0)
}
