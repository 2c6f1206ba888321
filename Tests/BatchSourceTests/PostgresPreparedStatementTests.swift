import Foundation
import PostgresTestCluster
import Testing

@testable import BatchSource

/// The PostgreSQL store prepares the engine's statements once per connection: the same
/// answers as unprepared, the same errors, and nothing stale.
@Suite("PostgreSQL prepared statements")
struct PostgresPreparedStatementTests {
    static func open(prepared: Bool) async throws -> PostgresStore {
        let url = try await StoreKind.newDatabase() + "&pool_size=1&prepared_statements=\(prepared ? "on" : "off")"
        return try await PostgresStore.open(try PostgresSettings(parsing: url))
    }

    /// Statements prepared in this session (the pool has one connection).
    static func preparedCount(_ store: PostgresStore) async throws -> Int {
        try await store.read { tx in try tx.int("SELECT COUNT(*) FROM pg_prepared_statements", []) } ?? -1
    }

    @Test(
        "values of every kind read back the same prepared and unprepared; each statement is prepared once per connection"
    )
    func sameAnswers() async throws {
        let values: [SQLValue] = [
            .int(-7), .int(Int64.max), .double(2.5), .double(-0.0), .text("é'\"?"), .blob([0, 1, 255]), .null,
        ]
        var answers: [Bool: [[SQLValue]]] = [:]
        var counts: [Bool: [Int]] = [:]
        for prepared in [true, false] {
            let store = try await Self.open(prepared: prepared)
            defer { Task { try? await store.close() } }
            for _ in 0..<3 {
                let rows = try await store.read { tx in
                    try values.map { value in
                        // A NULL first and a value later (and the other way round) get statements of
                        // their own, with the types an unnamed statement would give them.
                        try tx.rows("SELECT ?, CAST(? AS text) IS NULL", [value, value]).map { $0.values }
                            + tx.rows("SELECT COALESCE(?, 0.5::float8) + 1", [value == .null ? .null : .double(1)]).map
                        { $0.values }
                    }
                }
                answers[prepared, default: []].append(contentsOf: rows.flatMap { $0 })
                counts[prepared, default: []].append(try await Self.preparedCount(store))
            }
        }
        #expect(answers[true] == answers[false])
        let first = try #require(answers[true]?.first)
        #expect(first == [.int(-7), .int(0)])
        #expect(answers[true]?.contains([.null, .int(1)]) == true)
        #expect(answers[true]?.contains([.blob([0, 1, 255]), .int(0)]) == true)
        // Prepared: the same statements each round, so the count stays put after the first.
        let on = try #require(counts[true])
        #expect(on[0] > 0 && on.allSatisfy { $0 == on[0] }, "\(on)")
        #expect(counts[false] == [0, 0, 0])
    }

    @Test(
        "a statement first prepared in a transaction that already failed reports the first error, and works in the next transaction"
    )
    func prepareInFailedTransaction() async throws {
        let store = try await Self.open(prepared: true)
        defer { Task { try? await store.close() } }
        try await store.write { tx in try tx.execute("CREATE TABLE marks (id BIGINT PRIMARY KEY CHECK (id > 0))", []) }
        try await store.write { tx in try tx.execute("INSERT INTO marks VALUES (?)", [.int(1)]) }
        do {
            _ = try await store.write { tx in
                try tx.execute("INSERT INTO marks VALUES (?)", [.int(-1)])  // prepared already: sent without a wait
                return try tx.int("SELECT COUNT(*) + ? FROM marks", [.int(100)])  // new: its PREPARE is refused
            }
            Issue.record("the transaction should have failed")
        } catch let e as PostgresStatementError {
            #expect(e.sqlState == "23514", "the failing write's own error, not 'current transaction is aborted': \(e)")
        }
        #expect(try await store.write { tx in try tx.int("SELECT COUNT(*) + ? FROM marks", [.int(100)]) } == 101)
        // The same when both go out together: the first one's error, not the PREPARE's.
        do {
            _ = try await store.read { tx in
                try tx.rows(ofEach: [
                    SQLQuery("SELECT 1 / ? FROM marks", [.int(0)]),
                    SQLQuery("SELECT COUNT(*) - ? FROM marks", [.int(1)]),
                ])
            }
            Issue.record("the transaction should have failed")
        } catch let e as PostgresStatementError {
            #expect(e.sqlState == "22012", "division by zero, not 'current transaction is aborted': \(e)")
        }
    }

    @Test(
        "a table changed under a prepared statement (another replica migrated): prepared again, the read goes through")
    func stalePlan() async throws {
        let store = try await Self.open(prepared: true)
        defer { Task { try? await store.close() } }
        try await store.write { tx in
            try tx.execute("CREATE TABLE t (a BIGINT)", [])
            try tx.execute("INSERT INTO t VALUES (?)", [.int(1)])
        }
        #expect(
            try await store.read { tx in try tx.rows("SELECT * FROM t WHERE a = ?", [.int(1)]).map(\.values) } == [
                [.int(1)]
            ])
        try await store.write { tx in try tx.execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'", []) }
        #expect(
            try await store.read { tx in try tx.rows("SELECT * FROM t WHERE a = ?", [.int(1)]).map(\.values) }
                == [[.int(1), .text("x")]])
    }

    @Test("placeholders are cast to the types of the values they were prepared for; a NULL's is left to the server")
    func typedPlaceholders() {
        #expect(
            PlaceholderTranslation.translate(
                uncached: "SELECT '?', ? + ?, ? -- ?\n, ?", types: ["int8", nil, "text", "bytea"])
                == "SELECT '?', $1::int8 + $2, $3::text -- ?\n, $4::bytea")
        #expect(
            PostgresPreparedStatements.isPreparable("  (SELECT 1)")
                && PostgresPreparedStatements.isPreparable("with x as (select 1) select * from x"))
        #expect(
            !PostgresPreparedStatements.isPreparable("CREATE TABLE t (a int)")
                && !PostgresPreparedStatements.isPreparable("BEGIN"))
    }

    @Test("prepared_statements in the database URL: on, off, or a clear error")
    func urlSetting() throws {
        #expect(try PostgresSettings(parsing: "postgres://u@h/d", environment: [:]).preparedStatements)
        #expect(
            try !PostgresSettings(parsing: "postgres://u@h/d?prepared_statements=off", environment: [:])
                .preparedStatements)
        #expect(throws: ConfigurationError.self) {
            try PostgresSettings(parsing: "postgres://u@h/d?prepared_statements=maybe", environment: [:])
        }
    }
}
