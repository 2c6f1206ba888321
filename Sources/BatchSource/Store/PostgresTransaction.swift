import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// One PostgreSQL transaction seen through the engine's synchronous transaction protocol.
///
/// Each query blocks on the connection's future. That is only allowed off the event loops
/// and off the Swift concurrency pool, so ``PostgresStore`` runs transaction bodies on its own
/// thread pool, one thread per leased connection.
///
/// Statements whose answer the engine does not read (`execute`: the writes, and BEGIN) are
/// sent without waiting: the connection runs them in order, one after the other, from its
/// event loop, and this thread waits only where it needs rows, and at COMMIT. Every write of
/// a claim or a completion follows its reads, so while the cursor's row lock is held this
/// thread wakes a few times instead of once per statement (on the wire PostgresNIO 1.33 still
/// runs one statement at a time: it does not pipeline). Nothing is lost by not waiting: once
/// a statement fails, PostgreSQL refuses every later one of the transaction (and answers
/// COMMIT with ROLLBACK), so the first later wait finds the failure, and that first error is
/// what the caller gets.
///
/// The engine's statements run prepared (``PostgresPreparedStatements``); the one wait this
/// adds is for a statement's PREPARE, the first time a connection sends it.
struct PostgresTransaction: StoreTransaction {
    let connection: PostgresConnection
    let logger: Logger
    let clock: StoreClock
    private let prepared: PostgresPreparedStatements
    private let unanswered = UnansweredStatements()

    init(connection: PostgresConnection, prepared: PostgresPreparedStatements, logger: Logger, clock: StoreClock) {
        self.connection = connection
        self.prepared = prepared
        self.logger = logger
        self.clock = clock
    }

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        remember(try statement(sql, arguments), sql)
        // A bound on what waits unread (a migration or an import can send many).
        if unanswered.statements.count >= UnansweredStatements.limit { try settle() }
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try rows(ofEach: [SQLQuery(sql, arguments)])[0]
    }

    /// All the queries go out before the first answer is waited for: the connection runs one
    /// after the other without this thread in between.
    func rows(ofEach queries: [SQLQuery]) throws -> [[SQLRow]] {
        var sent: [EventLoopFuture<[PostgresRow]>] = []
        sent.reserveCapacity(queries.count)
        for query in queries {
            let future = try statement(query.sql, query.arguments)
            // Looked at should a later one's PREPARE be refused because this one failed.
            remember(future, query.sql)
            sent.append(future)
        }
        var answers: [[SQLRow]] = []
        answers.reserveCapacity(sent.count)
        for (future, query) in zip(sent, queries) {
            let rows = try wait(for: future, original: query.sql)
            let names = SQLColumns(rows.first.map { $0.map(\.columnName) } ?? [])
            answers.append(
                try rows.map { row in
                    SQLRow(try row.map { cell in try Self.value(cell, statement: query.sql) }, columns: names)
                })
        }
        return answers
    }

    /// Sends a statement and returns at once; its answer is looked at by the next wait.
    func send(_ sql: String, _ arguments: [SQLValue], original: String) {
        remember(unnamed(sql, arguments), original)
    }

    private func remember(_ future: EventLoopFuture<[PostgresRow]>, _ original: String) {
        let sent = (future, original)
        if unanswered.first == nil { unanswered.first = sent }
        unanswered.statements.append(sent)
    }

    private func unnamed(_ sql: String, _ arguments: [SQLValue]) -> EventLoopFuture<[PostgresRow]> {
        connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(arguments)), logger: logger).map(\.rows)
    }

    /// Sends one of the engine's statements (`?` placeholders): its prepared form where this
    /// connection has one, else prepared first (see ``PostgresPreparedStatements``), which
    /// waits for the server once per statement and connection.
    private func statement(_ sql: String, _ arguments: [SQLValue]) throws -> EventLoopFuture<[PostgresRow]> {
        let use = prepared.use(for: sql, arguments)
        let statement: PreparedQuery
        switch use {
        case .unprepared:
            return unnamed(PlaceholderTranslation.shared.translate(sql), arguments)
        case .prepared(let known):
            statement = known
        case .prepare(let key, let text):
            let preparing = connection.prepare(query: text)
            do {
                statement = try Self.answer(to: preparing, from: connection)
            } catch {
                // Statements sent before may have failed first (the transaction refuses
                // everything after): that error is the one to report.
                try settle()
                throw Self.mapped(error, statement: sql)
            }
            prepared.keep(statement, as: key)
        }
        return statement.execute(arguments.map(PostgresPreparedStatements.data))
    }

    /// Waits for every statement sent so far; throws the first one's error.
    func settle() throws {
        defer { unanswered.statements.removeAll(keepingCapacity: true) }
        if let (error, statement) = firstFailure() { throw Self.mapped(error, statement: statement) }
    }

    /// COMMIT, and whether the transaction really committed: PostgreSQL answers COMMIT of a
    /// transaction in which a statement failed with ROLLBACK, not with an error.
    func commit() throws {
        let result = try run("COMMIT", [], original: "COMMIT", keepingUnanswered: true)
        try settle()
        guard result.metadata.command != "ROLLBACK" else {
            throw PostgresStatementError(sqlState: "", message: "the transaction was rolled back", statement: "COMMIT")
        }
    }

    /// Whether the statement sent first (BEGIN) failed for want of a connection: then nothing
    /// of the transaction ran, and it may run again on another connection.
    var firstStatementLostConnection: Bool {
        guard let (first, statement) = unanswered.first else { return false }
        do {
            _ = try Self.answer(to: first, from: connection)
            return false
        } catch {
            return Self.mapped(error, statement: statement) is StoreUnavailableError
        }
    }

    /// `COPY table (columns) FROM STDIN`, streamed in buffers of about 1 MB: one command for
    /// any number of rows, and no per-value parameter encoding.
    func insertMany(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        try settle()  // COPY is not queued behind statements sent earlier: let them finish first
        let connection = self.connection, logger = self.logger
        let promise = connection.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
                for row in rows {
                    PostgresCopyText.append(row, to: &buffer)
                    if buffer.readableBytes >= 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
        do {
            try Self.answer(to: promise.futureResult, from: connection)
        } catch {
            throw Self.mapped(error, statement: "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN")
        }
    }

    /// The database server's clock at this moment (not the transaction's start, which may be
    /// long before a lock was granted), so every replica judges leases by one clock; a manual
    /// clock's time instead, without asking the server.
    func now() throws -> Date {
        if let manual = clock.manualTime { return manual }
        let result = try run(
            "SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8", [], original: "SELECT clock_timestamp()")
        guard let cell = result.rows.first?.first, let seconds = try? cell.decode(Double.self) else {
            throw PostgresStatementError(
                sqlState: "", message: "clock_timestamp() returned no value", statement: "SELECT clock_timestamp()")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Runs one statement and waits for all its rows. Its success means every statement sent
    /// before it succeeded too (they ran first, and a failure would have refused it).
    func run(_ sql: String, _ arguments: [SQLValue], original: String, keepingUnanswered: Bool = false) throws
        -> PostgresQueryResult
    {
        try wait(
            for: connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(arguments)), logger: logger),
            original: original,
            keepingUnanswered: keepingUnanswered)
    }

    private func wait<T: Sendable>(for future: EventLoopFuture<T>, original: String, keepingUnanswered: Bool = false)
        throws -> T
    {
        do {
            let result = try Self.answer(to: future, from: connection)
            if !keepingUnanswered { unanswered.statements.removeAll(keepingCapacity: true) }
            return result
        } catch {
            // The first failure among the statements sent before is the cause of this one.
            let reported =
                firstFailure().map { Self.mapped($0, statement: $1) } ?? Self.mapped(error, statement: original)
            unanswered.statements.removeAll(keepingCapacity: true)
            if PostgresFailure.isStalePlan(reported) { prepared.forgetAll() }
            throw reported
        }
    }

    /// The first error among the statements sent and not yet looked at, with its statement.
    private func firstFailure() -> (any Error, String)? {
        for (future, statement) in unanswered.statements {
            do { _ = try Self.answer(to: future, from: connection) } catch { return (error, statement) }
        }
        return nil
    }

    private static func binds(_ arguments: [SQLValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: arguments.count)
        for value in arguments {
            switch value {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .double(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            }
        }
        return binds
    }

    /// How long a statement may go unanswered before its connection is judged lost. The
    /// server cancels any statement after `statement_timeout` (120 s, set on every session),
    /// so an answer that has not come some seconds later never will, and a future left pending
    /// after a PostgreSQL restart would hold its request, its thread and the replica's shutdown.
    static let answerDeadline: TimeAmount = .seconds(Int64(PostgresConnectionPool.statementTimeoutSeconds + 10))

    /// Blocks for `future`'s result, but no longer than `deadline`; past it the connection is
    /// closed and the caller gets ``StoreUnavailableError`` (a 503, the client asks again).
    ///
    /// A semaphore with a timed wait, not timers on the event loop: every statement passes
    /// through here, and each event-loop task scheduled from this thread is one more cross-
    /// thread wake-up, which is what a statement's latency is made of on loopback.
    static func answer<T: Sendable>(
        to future: EventLoopFuture<T>, from connection: PostgresConnection?,
        within deadline: TimeAmount = answerDeadline
    ) throws -> T {
        let arrived = DispatchSemaphore(value: 0)
        let result = NIOLockedValueBox<Result<T, any Error>?>(nil)
        future.whenComplete { outcome in
            result.withLockedValue { $0 = outcome }
            arrived.signal()
        }
        let giveUp = DispatchTime.now().uptimeNanoseconds + UInt64(max(deadline.nanoseconds, 0))
        // A query left pending after a restart sits on a connection that has closed: looking
        // at the connection every second catches that long before the deadline.
        while arrived.wait(timeout: .now() + .milliseconds(min(1000, Int(deadline.nanoseconds / 1_000_000))))
            == .timedOut
        {
            if let connection, connection.isClosed {
                throw StoreUnavailableError("the PostgreSQL connection closed before the statement was answered")
            }
            if DispatchTime.now().uptimeNanoseconds >= giveUp {
                if let connection { PostgresConnectionPool.closeEventually(connection) }
                throw StoreUnavailableError(
                    "PostgreSQL did not answer within \(deadline.nanoseconds / 1_000_000_000) s; the connection was "
                        + "dropped"
                )
            }
        }
        return try result.withLockedValue { $0! }.get()
    }

    /// A driver error as the store's callers see it: 503 material, or the server's words.
    static func mapped(_ error: any Error, statement: String) -> any Error {
        switch PostgresFailure.classify(error, statement: statement) {
        case .unavailable(let why): return StoreUnavailableError("lost the PostgreSQL connection: \(why)")
        case .retryable(let e): return e
        case .other(let e): return e
        }
    }

    static func value(_ cell: PostgresCell, statement: String) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        // PostgresNIO asks for every result in binary, but the rows of a statement prepared
        // with `prepare(query:)` carry the text format of the server's description (1.33.2).
        var cell = cell
        cell.format = .binary
        do {
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
            case .float4, .float8: return .double(try cell.decode(Double.self))
            case .numeric:
                let d = NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue
                return d == d.rounded() && abs(d) < 9e15 ? .int(Int64(d)) : .double(d)
            case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
            case .bytea: return .blob(Array(buffer: cell.bytes!))
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            throw PostgresStatementError(
                sqlState: "", message: "cannot read column \(cell.columnName) of type \(cell.dataType): \(error)",
                statement: statement)
        }
    }
}

/// The statements a transaction sent without waiting, in the order sent. Used by the one
/// thread that runs the transaction, never shared.
private final class UnansweredStatements {
    static let limit = 256
    var statements: [(EventLoopFuture<[PostgresRow]>, String)] = []
    var first: (EventLoopFuture<[PostgresRow]>, String)?
}
