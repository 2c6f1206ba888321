import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// A bounded set of PostgreSQL connections, opened on demand and reopened after a failure.
///
/// A lease that finds no connection open and cannot open one fails at once with
/// ``StoreUnavailableError`` (callers answer 503); it never waits for the database to come
/// back. A lease that finds every connection busy waits its turn, up to `leaseTimeout`.
/// Connections the server closed (restart, `pg_terminate_backend`) are noticed when leased
/// and replaced.
final class PostgresConnectionPool: Sendable {
    /// A connection with what lives as long as its session: the statements prepared on it.
    struct Pooled: Sendable {
        let connection: PostgresConnection
        let prepared: PostgresPreparedStatements
    }

    private enum Grant {
        case connection(Pooled)
        /// A connection slot was freed: the waiter opens its own connection.
        case slot
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Grant, any Error>
        var deadline: ContinuousClock.Instant

        func resume(_ result: Result<Grant, any Error>) {
            continuation.resume(with: result)
        }
    }

    private struct State {
        var idle: [Pooled] = []
        var open = 0
        var waiters: [Waiter] = []  // few, so removeFirst is cheap
        var nextWaiterId = 0
        var nextConnectionId = 0
        var closed = false
        /// Whether a task is watching the waiters' deadlines.
        var watching = false
    }

    private let state = Mutex(State())
    private let configuration: PostgresConnection.Configuration
    private let size: Int
    private let preparesStatements: Bool
    private let leaseTimeout: Duration
    private let endpoint: String
    private let logger: Logger

    init(settings: PostgresSettings, leaseTimeout: Duration = .seconds(10), logger: Logger) throws {
        configuration = try Self.configuration(settings)
        size = settings.poolSize
        preparesStatements = settings.preparedStatements
        self.leaseTimeout = leaseTimeout
        endpoint = settings.endpointDescription
        self.logger = logger
    }

    /// A connection for the caller's sole use until it gives it back with ``giveBack(_:reusable:)``.
    func lease() async throws -> Pooled {
        enum Step { case use(Pooled), connect(Int), wait }
        while true {
            let step: Step = try state.withLock { s in
                if s.closed { throw StoreUnavailableError("the PostgreSQL store is closed") }
                while let pooled = s.idle.popLast() {
                    if !pooled.connection.isClosed { return .use(pooled) }
                    s.open -= 1
                }
                if s.open < size {
                    s.open += 1
                    s.nextConnectionId += 1
                    return .connect(s.nextConnectionId)
                }
                return .wait
            }
            switch step {
            case .use(let pooled):
                return pooled
            case .connect(let id):
                return try await connect(id: id)
            case .wait:
                switch try await waitForTurn() {
                case .connection(let pooled):
                    if !pooled.connection.isClosed { return pooled }
                    giveBack(pooled, reusable: false)
                case .slot:
                    let id = state.withLock { s in
                        s.nextConnectionId += 1; return s.nextConnectionId
                    }
                    return try await connect(id: id)
                }
            }
        }
    }

    /// Returns a leased connection; one that failed (or may be mid-transaction) is closed.
    func giveBack(_ pooled: Pooled, reusable: Bool) {
        var usable = reusable && !pooled.connection.isClosed
        let waiter: Waiter? = state.withLock { s in
            if s.closed { usable = false }
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            if usable { s.idle.append(pooled) } else { s.open -= 1 }
            return nil
        }
        if !usable { Self.closeEventually(pooled.connection) }
        waiter?.resume(.success(usable ? .connection(pooled) : .slot))
    }

    /// Closes every idle connection and refuses new leases; leased ones close when given back.
    func close() async {
        let (idle, waiters) = state.withLock { s -> ([Pooled], [Waiter]) in
            s.closed = true
            defer { s.idle = []; s.waiters = [] }
            s.open -= s.idle.count
            return (s.idle, s.waiters)
        }
        for w in waiters { w.resume(.failure(StoreUnavailableError("the PostgreSQL store is closed"))) }
        for pooled in idle { try? await pooled.connection.close() }
    }

    /// A store dropped without ``close()`` (a CLI command that ends) still closes its
    /// connections: PostgresNIO requires every connection closed before it is freed.
    deinit {
        for pooled in state.withLock({ $0.idle }) { Self.closeEventually(pooled.connection) }
    }

    /// Starts closing a connection and keeps it alive until it is closed.
    static func closeEventually(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func connect(id: Int) async throws -> Pooled {
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            return Pooled(connection: connection, prepared: PostgresPreparedStatements(enabled: preparesStatements))
        } catch {
            // Free the slot for the next caller, who will try again.
            let waiter = state.withLock { s -> Waiter? in
                if !s.waiters.isEmpty { return s.waiters.removeFirst() }
                s.open -= 1
                return nil
            }
            waiter?.resume(.success(.slot))
            let why: String
            if let e = error as? PSQLError { why = PostgresFailure.describe(e) } else { why = "\(error)" }
            throw StoreUnavailableError("cannot connect to PostgreSQL at \(endpoint): \(why)")
        }
    }

    /// Waits for a connection someone gives back, up to `leaseTimeout`.
    ///
    /// One task watches every waiter's deadline, rather than a timer task per waiter: under
    /// load most leases wait, and each timer is thread wake-ups (its sleep, its cancellation,
    /// the timer thread).
    private func waitForTurn() async throws -> Grant {
        let id = state.withLock { s in
            s.nextWaiterId += 1; return s.nextWaiterId
        }
        let deadline = ContinuousClock.now + leaseTimeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                let startWatching = state.withLock { s -> Bool in
                    s.waiters.append(Waiter(id: id, continuation: continuation, deadline: deadline))
                    defer { s.watching = true }
                    return !s.watching
                }
                if startWatching { watchDeadlines() }
                // Cancelled before it was queued: the handler found nothing to take out.
                if Task.isCancelled { abandon(id, CancellationError()) }
            }
        } onCancel: {
            abandon(id, CancellationError())
        }
    }

    /// Fails the waiters whose deadline passed, a few times a second, while any wait.
    private func watchDeadlines() {
        let message =
            "all \(size) PostgreSQL connections stayed busy for \(leaseTimeout); raise pool_size or add replicas"
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: .milliseconds(100))
                guard let self else { return }
                let now = ContinuousClock.now
                let (late, done) = self.state.withLock { s -> ([Waiter], Bool) in
                    let late = s.waiters.filter { $0.deadline <= now }
                    if !late.isEmpty { s.waiters.removeAll { $0.deadline <= now } }
                    if s.waiters.isEmpty { s.watching = false }
                    return (late, !s.watching)
                }
                for waiter in late { waiter.resume(.failure(StoreUnavailableError(message))) }
                if done { return }
            }
        }
    }

    /// Takes a waiter out of the queue (timed out or cancelled), if it is still waiting.
    private func abandon(_ id: Int, _ error: any Error) {
        let waiter = state.withLock { s -> Waiter? in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: i)
        }
        waiter?.resume(.failure(error))
    }

    /// The server ends any statement that runs longer (set on every session).
    static let statementTimeoutSeconds = 120

    static func configuration(_ settings: PostgresSettings) throws -> PostgresConnection.Configuration {
        var config: PostgresConnection.Configuration
        if let socket = settings.unixSocketPath {
            config = .init(
                unixSocketPath: socket, username: settings.user, password: settings.password,
                database: settings.database)
        } else {
            config = .init(
                host: settings.host, port: settings.port, username: settings.user, password: settings.password,
                database: settings.database, tls: try tls(settings))
        }
        config.options.connectTimeout = .seconds(Int64(settings.connectTimeoutSeconds))
        config.options.additionalStartupParameters = [
            ("application_name", settings.applicationName),
            // A replica that stops mid-transaction (SIGSTOP, a hung host) must not hold a
            // cursor's row lock for ever: the server ends such sessions.
            ("idle_in_transaction_session_timeout", "60000"),
            ("statement_timeout", String(statementTimeoutSeconds * 1000)),
        ]
        return config
    }

    /// libpq's sslmode semantics: prefer/allow try TLS without checking the certificate,
    /// require insists on TLS, verify-ca checks the chain, verify-full the host name too.
    static func tls(_ settings: PostgresSettings) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.sslRootCert { tls.trustRoots = .file(ca) }
        switch settings.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = settings.sslRootCert == nil ? .none : .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: tls))
        }
    }
}
