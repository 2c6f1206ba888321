import Foundation
import LoopbackPort
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests of one process: `initdb` into a temp dir, a
/// free loopback port, `pg_ctl start`; a fresh database per test fixture.
///
/// Started once per test process (``shared``) and stopped at exit. PostgreSQL refuses to
/// run as root, and sessions and CI run as root, so the server runs as the `postgres` user
/// (via `runuser`) when we are root. Nothing outlives the test process: a watchdog in its own
/// session stops the cluster when the process that started it is gone, even after a crash or
/// `kill -9`, and each start first removes clusters whose owner died.
public final class PostgresTestCluster: Sendable {
    public let port: Int
    public let directory: String
    public let binDirectory: String
    /// Connection settings beyond host, port and database (tests use no TLS).
    public let urlOptions = "sslmode=disable"

    /// The cluster of this test process, started by the first caller.
    public static var shared: PostgresTestCluster {
        get async throws { try await sharedStart.value }
    }

    private static let sharedStart = Task { try await PostgresTestCluster.start(tuning: .tests) }
    private static let counter = Atomic<Int>(0)
    static let prefix = "batch-source-pg-"

    /// Server settings. Tests skip fsync (only an OS crash could lose data, and the data dies
    /// with the process anyway) but keep synchronous commit, so a commit survives a crash of
    /// the server (`-m immediate`) as the fault tests need; `durable` keeps every default.
    public enum Tuning: Sendable {
        case tests, durable
        var options: [String] {
            switch self {
            case .tests: return ["fsync=off", "full_page_writes=off", "max_connections=400", "shared_buffers=64MB"]
            case .durable: return ["max_connections=400", "shared_buffers=128MB"]
            }
        }
    }

    private init(port: Int, directory: String, binDirectory: String) {
        self.port = port
        self.directory = directory
        self.binDirectory = binDirectory
    }

    /// A database URL for `name` on this cluster, as the superuser (trust authentication).
    public func url(database name: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(name)?\(urlOptions)"
    }

    /// Creates an empty database and returns its URL.
    public func createDatabase(prefix: String = "t") async throws -> String {
        let serial = Self.counter.add(1, ordering: .relaxed).newValue
        let name = "\(prefix)_\(getpid())_\(serial)_\(UInt32.random(in: 0...UInt32.max))"
        try await sql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs SQL with psql against `database` and returns its unaligned, tuples-only output.
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") async throws -> String {
        let out = try await Self.run(
            binDirectory + "/psql",
            [
                "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
                "-d", database, "-c", statement,
            ], asPostgres: false)
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server (`fast`: sessions are ended, `immediate`: a crash) and starts it
    /// again on the same port and data.
    public func restart(mode: String = "fast") async throws {
        try await stopServer(mode: mode)
        try await startServer()
    }

    public func stopServer(mode: String = "fast") async throws {
        try await Self.run(
            binDirectory + "/pg_ctl", ["-D", directory + "/data", "-m", mode, "-w", "stop"], asPostgres: true)
        if let p = server.withLock({ s in
            defer { s = nil }; return s
        }) {
            while p.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        }
    }

    /// Runs the postmaster as our child (not daemonised by `pg_ctl start`: Foundation's
    /// `Process` would wait for the daemon, which inherits the pipe it watches) and waits
    /// until it accepts connections.
    public func startServer() async throws {
        let log = directory + "/server.log"
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        defer { try? handle.close() }
        let p = Process()
        let postgres = [binDirectory + "/postgres", "-D", directory + "/data"]
        if getuid() == 0 {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", "postgres", "--"] + postgres
        } else {
            p.executableURL = URL(fileURLWithPath: postgres[0])
            p.arguments = Array(postgres.dropFirst())
        }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        try p.run()
        server.withLock { $0 = p }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard p.isRunning else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw PostgresTestClusterError("postgres exited with \(p.terminationStatus): \(text.suffix(1500))")
            }
            if (try? await Self.run(
                binDirectory + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)], asPostgres: false)) != nil
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PostgresTestClusterError("postgres did not accept connections on port \(port) within 60 s; see \(log)")
    }

    private let server = Mutex<Process?>(nil)

    /// Starts a cluster of its own (the shared one is for almost every use).
    public static func start(tuning: Tuning) async throws -> PostgresTestCluster {
        let bin = try binaries()
        reapOrphans()
        let directory = NSTemporaryDirectory().appending("/\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
            .replacingOccurrences(of: "//", with: "/")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        if getuid() == 0 { try await run("/bin/chown", ["-R", "postgres:postgres", directory], asPostgres: false) }
        try await run(
            bin + "/initdb",
            [
                "-D", directory + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
                "--no-instructions",
            ],
            asPostgres: true)
        let port = try LoopbackPort.free()
        var conf = ["listen_addresses = '127.0.0.1'", "port = \(port)", "unix_socket_directories = '\(directory)'"]
        conf += tuning.options.map { $0.replacingOccurrences(of: "=", with: " = ") }
        let confFile = directory + "/data/postgresql.auto.conf"
        let existing = (try? String(contentsOfFile: confFile, encoding: .utf8)) ?? ""
        try (existing + conf.joined(separator: "\n") + "\n").write(toFile: confFile, atomically: false, encoding: .utf8)
        if getuid() == 0 { try await run("/bin/chown", ["postgres:postgres", confFile], asPostgres: false) }
        let cluster = PostgresTestCluster(port: port, directory: directory, binDirectory: bin)
        startWatchdog(cluster)
        try await cluster.startServer()
        registerAtExit(cluster)
        return cluster
    }

    /// Stops the server and deletes its files now.
    public func destroy() {
        Self.stopAndRemoveSync(directory: directory, bin: binDirectory)
    }

    // MARK: Finding and reaping

    /// PostgreSQL's server programs: `BATCH_SOURCE_PG_BIN`, else the newest
    /// /usr/lib/postgresql/N/bin (Debian's layout; scripts/ensure-deps.sh installs 15).
    static func binaries() throws -> String {
        if let dir = ProcessInfo.processInfo.environment["BATCH_SOURCE_PG_BIN"], !dir.isEmpty { return dir }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        throw PostgresTestClusterError(
            "PostgreSQL server programs not found in \(root)/*/bin; run scripts/ensure-deps.sh (apt-get install "
                + "postgresql-15) or set BATCH_SOURCE_PG_BIN"
        )
    }

    /// Stops and deletes clusters left by test processes that died without cleaning up.
    static func reapOrphans() {
        let tmp = NSTemporaryDirectory()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where entry.hasPrefix(prefix) {
            let dir = tmp + "/" + entry
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8),
                let owner = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if kill(owner, 0) == 0 || errno == EPERM { continue }
            stopAndRemoveSync(directory: dir, bin: (try? binaries()) ?? "/usr/lib/postgresql/15/bin")
        }
    }

    /// A shell in its own session that outlives us: when our pid is gone, it stops the
    /// server and deletes the directory.
    static func startWatchdog(_ cluster: PostgresTestCluster) {
        let pgctl = cluster.binDirectory + "/pg_ctl"
        let asPostgres = getuid() == 0 ? "runuser -u postgres -- " : ""
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            \(asPostgres)\(pgctl) -D '\(cluster.directory)/data' -m immediate -w stop >/dev/null 2>&1
            rm -rf '\(cluster.directory)'
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = ["/bin/sh", "-c", script]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
    }

    private static let atExitClusters = Mutex<[(String, String)]>([])

    static func registerAtExit(_ cluster: PostgresTestCluster) {
        let first = atExitClusters.withLock { list in
            list.append((cluster.directory, cluster.binDirectory))
            return list.count == 1
        }
        if first {
            atexit {
                for (dir, bin) in PostgresTestCluster.atExitClusters.withLock({ $0 }) {
                    PostgresTestCluster.stopAndRemoveSync(directory: dir, bin: bin)
                }
            }
        }
    }

    static func stopAndRemoveSync(directory: String, bin: String) {
        let p = Process()
        if getuid() == 0 {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = [
                "-u", "postgres", "--", bin + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop",
            ]
        } else {
            p.executableURL = URL(fileURLWithPath: bin + "/pg_ctl")
            p.arguments = ["-D", directory + "/data", "-m", "immediate", "-w", "stop"]
        }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        if (try? p.run()) != nil { p.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Processes and ports

    /// Runs a program to its end (as `postgres` when asked and we are root); throws with its
    /// output when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asPostgres: Bool) async throws -> String {
        let p = Process()
        if asPostgres && getuid() == 0 {
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            p.arguments = ["-u", "postgres", "--", program] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = arguments
        }
        let scratch = NSTemporaryDirectory() + "/bs-pg-out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: scratch, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch))
        defer { try? handle.close() }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            p.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try p.run() } catch {
                p.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = (try? String(contentsOfFile: scratch, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw PostgresTestClusterError(
                "\((program as NSString).lastPathComponent) \(arguments.joined(separator: " ")) exited with "
                    + "\(status): \(output.suffix(2000))"
            )
        }
        return output
    }
}

public struct PostgresTestClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
