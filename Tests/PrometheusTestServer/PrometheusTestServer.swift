import Foundation
import LoopbackPort
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway Prometheus server for tests: Debian's `/usr/bin/prometheus` (scripts/ensure-deps.sh
/// installs it; `BATCH_SOURCE_PROMETHEUS` names another binary) on a free loopback port, its
/// data in a temp dir, scraping the targets the test gives every second.
///
/// Start one per suite (it is ready in well under a second) and ``stop()`` it at the end.
/// Nothing outlives the test process: ``stop()`` sends SIGTERM and waits; an `atexit` handler
/// stops servers still running when the process exits; a watchdog in its own session stops
/// the server when the process that started it is gone (a crash, `kill -9`); and each start
/// first stops servers whose owner died.
public final class PrometheusTestServer: Sendable {
    public let port: Int
    public let directory: String
    /// The base URL, as a prometheus gate's `url`: `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The scrape job's name (the `job` label of what it scrapes).
    public let job: String

    private let process: Process
    private let watchdog: Process?
    private let stopped = Mutex(false)

    static let prefix = "batch-source-prom-"

    private init(port: Int, directory: String, job: String, process: Process, watchdog: Process?) {
        self.port = port
        self.directory = directory
        self.job = job
        self.process = process
        self.watchdog = watchdog
    }

    /// Starts a server scraping `targets` (`host:port`, path `/metrics`) every
    /// `scrapeInterval` seconds under job `job`, and waits until it answers `/-/ready`.
    public static func start(scrapeTargets targets: [String], job: String = "test", scrapeInterval: Int = 1)
        async throws -> PrometheusTestServer
    {
        let binary = try binaryPath()
        reapOrphans()
        let directory = NSTemporaryDirectory().appending("/\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
            .replacingOccurrences(of: "//", with: "/")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        let targetList = targets.map { "'\($0)'" }.joined(separator: ", ")
        let config = """
            global:
              scrape_interval: \(scrapeInterval)s
              scrape_timeout: \(scrapeInterval)s
              evaluation_interval: \(scrapeInterval)s
            scrape_configs:
              - job_name: '\(job)'
                static_configs:
                  - targets: [\(targetList)]
            """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        // A free port can be taken between our probe and Prometheus' bind: try a few.
        var lastError: any Error = PrometheusTestServerError("not started")
        for _ in 0..<5 {
            let port = try LoopbackPort.free()
            do {
                let process = try launch(binary, directory: directory, port: port)
                let server = PrometheusTestServer(
                    port: port, directory: directory, job: job, process: process,
                    watchdog: startWatchdog(directory: directory, pid: process.processIdentifier))
                register(server)
                do {
                    try await server.waitUntilReady()
                    return server
                } catch {
                    await server.stop(removingFiles: false)
                    throw error
                }
            } catch {
                lastError = error
                let log = (try? String(contentsOfFile: directory + "/prometheus.log", encoding: .utf8)) ?? ""
                if !log.contains("address already in use") { break }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError
    }

    /// Stops the server (SIGTERM, then waits; SIGKILL after 10 s) and deletes its files.
    public func stop() async { await stop(removingFiles: true) }

    private func stop(removingFiles: Bool) async {
        guard
            stopped.withLock({ s in
                defer { s = true }; return !s
            })
        else { return }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let watchdog, watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
        Self.unregister(self)
        if removingFiles { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The body of `GET path` on this server (e.g. `/api/v1/query?query=up`), and its status.
    public func get(_ path: String) throws -> (status: Int, body: String) {
        try Self.httpGet(port: port, path: path)
    }

    /// Waits until the scrape of job ``job`` has succeeded once, so queries see the targets'
    /// metrics (the first scrape comes up to one interval after the start).
    public func waitForFirstScrape(timeout: Duration = .seconds(15)) async throws {
        let query = "up%7Bjob%3D%22\(job)%22%7D%20%3D%3D%201"  // up{job="…"} == 1
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let answer = try? get("/api/v1/query?query=\(query)"), answer.status == 200,
                answer.body.contains("\"value\"")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PrometheusTestServerError("job \(job) was not scraped within \(timeout); see \(directory)/prometheus.log")
    }

    private func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: directory + "/prometheus.log", encoding: .utf8)) ?? ""
                throw PrometheusTestServerError(
                    "prometheus exited with \(process.terminationStatus): \(log.suffix(1500))")
            }
            if let answer = try? get("/-/ready"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PrometheusTestServerError("prometheus was not ready within 30 s; see \(directory)/prometheus.log")
    }

    // MARK: Processes

    static func binaryPath() throws -> String {
        let path =
            ProcessInfo.processInfo.environment["BATCH_SOURCE_PROMETHEUS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/usr/bin/prometheus"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw PrometheusTestServerError(
                "\(path) not found; run scripts/ensure-deps.sh (apt-get install prometheus) or set BATCH_SOURCE_PROMETHEUS"
            )
        }
        return path
    }

    private static func launch(_ binary: String, directory: String, port: Int) throws -> Process {
        let log = directory + "/prometheus.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = [
            "--config.file=\(directory)/prometheus.yml",
            "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)",
            "--log.level=warn",
        ]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        try p.run()
        try "\(p.processIdentifier)\n".write(toFile: directory + "/prometheus.pid", atomically: true, encoding: .utf8)
        return p
    }

    /// A shell in its own session that outlives us: when our pid is gone, it stops the server
    /// (only if that pid is still Prometheus on this directory) and deletes the directory.
    private static func startWatchdog(directory: String, pid: Int32) -> Process? {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            if grep -q '\(directory)' /proc/\(pid)/cmdline 2>/dev/null; then
              kill -TERM \(pid); sleep 3; kill -KILL \(pid) 2>/dev/null
            fi
            rm -rf '\(directory)'
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = ["/bin/sh", "-c", script]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        return (try? p.run()) == nil ? nil : p
    }

    /// Stops and deletes servers left by test processes that died before their watchdog ran.
    static func reapOrphans() {
        let tmp = NSTemporaryDirectory()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where entry.hasPrefix(prefix) {
            let dir = (tmp + "/" + entry).replacingOccurrences(of: "//", with: "/")
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8),
                let owner = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            if kill(owner, 0) == 0 || errno == EPERM { continue }
            if let text = try? String(contentsOfFile: dir + "/prometheus.pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                cmdline.contains(dir)
            {
                kill(pid, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    private static let running = Mutex<[ObjectIdentifier: PrometheusTestServer]>([:])

    private static func register(_ server: PrometheusTestServer) {
        _ = atExitHook
        running.withLock { $0[ObjectIdentifier(server)] = server }
    }

    /// Installed once, by the first start (a static's initializer runs exactly once).
    private static let atExitHook: Void = {
        atexit {
            for server in PrometheusTestServer.running.withLock({ Array($0.values) }) { server.stopSync() }
        }
    }()

    private static func unregister(_ server: PrometheusTestServer) {
        _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(server)) }
    }

    /// ``stop()`` for `atexit`, where nothing async runs.
    private func stopSync() {
        guard
            stopped.withLock({ s in
                defer { s = true }; return !s
            })
        else { return }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let watchdog, watchdog.isRunning { kill(watchdog.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Sockets

    private static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    /// A blocking HTTP/1.0 GET on loopback (no FoundationNetworking in the tests' support):
    /// the status and the body, read until the server closes the connection.
    static func httpGet(port: Int, path: String) throws -> (status: Int, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PrometheusTestServerError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = loopback(port: port)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw PrometheusTestServerError("connect to port \(port) failed") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw PrometheusTestServerError("send failed")
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw PrometheusTestServerError("recv failed: errno \(errno)") }
            if n == 0 { break }
            response += buffer[..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw PrometheusTestServerError("not an HTTP answer: \(text.prefix(200))")
        }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }
}

public struct PrometheusTestServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
