import AsyncHTTPClient
import Foundation
import LoopbackPort
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real `batch-source serve` process on a free loopback port with its own SQLite file (or
/// another database URL), for end-to-end tests: start, stop gracefully, `kill -9`, restart
/// on the same state.
///
/// The admin token is made up here and handed over with --token-file, the way an operator
/// bootstraps a first start.
final class ServiceProcess: Sendable {
    let directory: URL
    let port: Int
    let adminToken: String
    let database: String
    let binary: String
    let extraArguments: [String]
    private let state = Mutex<Process?>(nil)

    var url: String { "http://127.0.0.1:\(port)" }

    /// `adminToken`: replicas of one database share their bootstrap token.
    init(database: String? = nil, adminToken: String? = nil, extraArguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batch-source-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try LoopbackPort.free()
        self.adminToken = adminToken ?? Self.makeToken()
        self.database = database ?? "sqlite://\(directory.path)/state.sqlite"
        binary = try Self.locateBinary()
        self.extraArguments = extraArguments
        try Data((self.adminToken + "\n").utf8).write(to: directory.appendingPathComponent("admin-token"))
    }

    /// Starts the service and waits until `/readyz` answers.
    func start() async throws {
        let log = directory.appendingPathComponent("serve.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "serve", "--listen", "127.0.0.1:\(port)", "--database", database,
                "--token-file", directory.appendingPathComponent("admin-token").path, "--log-level", "warning",
            ] + extraArguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BATCH_SOURCE_") }
        env["BATCH_SOURCE_LOG_FORMAT"] = "text"
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        state.withLock { $0 = process }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning {
                throw ServiceProcessError("batch-source serve exited with \(process.terminationStatus): \(logTail())")
            }
            if let (status, _) = try? await HTTP.request(.GET, url + "/readyz", timeout: .seconds(1)), status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServiceProcessError("batch-source serve did not become ready on \(url): \(logTail())")
    }

    /// SIGTERM, then waits for the process to exit; returns its exit status.
    @discardableResult
    func stop() async -> Int32 { await signal(SIGTERM) }

    /// `kill -9`: no chance to finish anything.
    @discardableResult
    func kill9() async -> Int32 { await signal(SIGKILL) }

    private func signal(_ sig: Int32) async -> Int32 {
        guard
            let process = state.withLock({ p -> Process? in
                defer { p = nil }; return p
            })
        else { return 0 }
        if process.isRunning { kill(process.processIdentifier, sig) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    deinit {
        if let process = state.withLock({ $0 }), process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    static func makeToken() -> String {
        let hex = (0..<16).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
        let secret = (0..<40).map { _ in
            String("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".randomElement()!)
        }.joined()
        return "bs_\(hex)_\(secret)"
    }

    static func locateBinary() throws -> String {
        let bin =
            ProcessInfo.processInfo.environment["BATCH_SOURCE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Fixtures.repoRoot.appendingPathComponent(".build/debug/batch-source").path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            throw ServiceProcessError(
                "batch-source binary not found at \(bin); build it with `swift build --product batch-source` or set "
                    + "BATCH_SOURCE_BIN"
            )
        }
        return bin
    }
}

struct ServiceProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Plain HTTP calls for the end-to-end tests (AsyncHTTPClient's shared client).
enum HTTP {
    /// For calls given more time than the shared client's 90 s read timeout (a 200k-host
    /// import on a loaded machine answers only when it is done): one that waits as long as
    /// the call's own deadline. It lives as long as the test process.
    static let patientClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(30), read: .seconds(900))))

    static func request(
        _ method: HTTPMethod, _ url: String, token: String? = nil, body: Data? = nil,
        contentType: String = "application/json", timeout: TimeAmount = .seconds(60)
    ) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        let client = timeout > .seconds(80) ? patientClient : HTTPClient.shared
        let response = try await client.execute(request, timeout: timeout)
        var buffer = try await response.body.collect(upTo: 1 << 28)
        return (Int(response.status.code), Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
    }

    static func json(
        _ method: HTTPMethod, _ url: String, token: String?, _ object: Any? = nil,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> (Int, Any?) {
        let body = try object.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, data) = try await request(method, url, token: token, body: body, timeout: timeout)
        return (status, data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data))
    }
}
