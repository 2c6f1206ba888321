import Foundation
@testable import InventoryScriptKit
import Testing

/// The built-in HTTP/1.1 client (SocketTransport) against a real loopback server that answers
/// as scripted: what it sends, body framings, keep-alive and reconnecting, and every way an
/// answer can go wrong, with the failure kinds ErrorMapping turns into the user's line.
@Suite("inventory-script built-in HTTP client")
struct SocketTransportTests {
    static func transport(_ url: String, timeout: Double = 5, limit: Int = 1 << 30) throws -> SocketTransport {
        try SocketTransport(TransportOptions(service: try ServiceURL(url, origin: "test"), token: "bs_1_secret", caFile: nil, verifyTLS: true,
                                             timeoutSeconds: timeout, connectTimeoutSeconds: 2, maxResponseBytes: limit))
    }

    static let claim = HTTPRequest(method: "POST", path: "/api/v1/cursors/web/claim", body: Array(#"{"consumer": "c"}"#.utf8))
    static let read = HTTPRequest(method: "GET", path: "/api/v1/cursors/web")

    /// Performs a request that must fail, and returns how.
    static func failure(_ transport: SocketTransport, _ request: HTTPRequest = read) -> TransportFailure? {
        do {
            let response = try transport.perform(request)
            Issue.record("expected a failure, got \(response.status)")
            return nil
        } catch {
            return error
        }
    }

    @Test("sends CurlTransport's request and keeps one connection for the run's requests")
    func requestsAndKeepAlive() throws {
        let server = try ScriptedHTTPServer { connection in
            while let request = connection.readRequest() {
                connection.answer(200, request.hasPrefix("POST") ? #"{"claimed": true}"# : #"{"read": true}"#)
            }
        }
        defer { server.stop() }
        let transport = try Self.transport(server.url + "/prefix")
        let claimed = try transport.perform(Self.claim)
        let read = try transport.perform(Self.read)
        #expect(claimed.status == 200 && claimed.body == Array(#"{"claimed": true}"#.utf8))
        #expect(read.status == 200 && read.body == Array(#"{"read": true}"#.utf8))
        #expect(server.connections == 1, "both requests on one kept-alive connection")

        let post = try #require(server.requests.first?.request)
        #expect(post.hasPrefix("POST /prefix/api/v1/cursors/web/claim HTTP/1.1\r\n"))
        for header in ["Host: 127.0.0.1:\(server.port)", "Authorization: Bearer bs_1_secret", "Accept: application/json",
                       "Content-Type: application/json", "Content-Length: 17", "Connection: keep-alive", "User-Agent: inventory-script/"] {
            #expect(post.contains("\r\n" + header), "the claim lacks \(header)")
        }
        #expect(post.hasSuffix("\r\n\r\n" + #"{"consumer": "c"}"#))
        let get = try #require(server.requests.last?.request)
        #expect(get.hasPrefix("GET /prefix/api/v1/cursors/web HTTP/1.1\r\n") && !get.contains("Content-Length"))
    }

    @Test("a chunked body (extensions, trailers) is joined, and the connection is reused after it")
    func chunked() throws {
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                + "5;ext=1\r\n{\"a\":\r\n" + "A\r\n [1, 2, 3]\r\n" + "1\r\n}\r\n" + "0\r\nX-Trailer: t\r\n\r\n")
            _ = connection.readRequest()
            connection.answer(200, "{}")
        }
        defer { server.stop() }
        let transport = try Self.transport(server.url)
        #expect(try transport.perform(Self.read).body == Array(#"{"a": [1, 2, 3]}"#.utf8))
        #expect(try transport.perform(Self.read).body == Array("{}".utf8))
        #expect(server.connections == 1)
    }

    @Test("503 with Retry-After: the status and the seconds come through; the client waits that long and retries")
    func retryAfter() throws {
        let server = try ScriptedHTTPServer { connection in
            var answered = 0
            while connection.readRequest() != nil {
                answered += 1
                if answered <= 2 {
                    connection.answer(503, #"{"error": {"code": "store_unavailable", "message": "database down"}}"#, headers: ["Retry-After: 2"])
                } else {
                    connection.answer(200, #"{"name": "web"}"#)
                }
            }
        }
        defer { server.stop() }
        let transport = try Self.transport(server.url)
        let unavailable = try transport.perform(Self.read)
        #expect(unavailable.status == 503 && unavailable.retryAfterSeconds == 2)

        let clock = RecordingClock()
        let client = BatchSourceClient(transport: transport, service: try ServiceURL(server.url, origin: "test"),
                                       policy: RetryPolicy(retries: 3, totalSeconds: 60), clock: clock)
        let value = try client.exchange(Self.read, doing: "reading cursor web")
        #expect(value?.objectValue?["name"] == "web")
        #expect(clock.slept == [2], "the client pauses for the Retry-After seconds before asking again")
        #expect(server.requests.count == 3)
    }

    @Test("a connection closed mid-body fails as a dropped connection, with libcurl's words")
    func closedMidBody() throws {
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            if connection.number == 1 {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"hosts\": [")
            } else {
                connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n{\"hosts\"")
            }
            connection.hangUp()
        }
        defer { server.stop() }
        let sized = try #require(Self.failure(try Self.transport(server.url)))
        #expect(sized.kind == .connect && sized.detail == "transfer closed with 989 bytes remaining to read", "\(sized)")
        let chunked = try #require(Self.failure(try Self.transport(server.url)))
        #expect(chunked.kind == .connect && chunked.detail.contains("transfer closed"), "\(chunked)")
        let mapped = ErrorMapping.transport(sized, doing: "reading cursor web", at: try ServiceURL(server.url, origin: "test"), request: Self.read)
        #expect(mapped.kind == .unreachable && mapped.message.contains("cannot reach the service (transfer closed"))
    }

    @Test("an answer over the size limit is refused, whatever its framing")
    func tooLarge() throws {
        let big = String(repeating: "x", count: 300)
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            switch connection.number {
            case 1: connection.answer(200, big)
            case 2: connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n96\r\n\(big.prefix(150))\r\n96\r\n\(big.prefix(150))\r\n0\r\n\r\n")
            default: connection.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big)
            }
        }
        defer { server.stop() }
        for framing in ["Content-Length", "chunked", "until close"] {
            let failure = try #require(Self.failure(try Self.transport(server.url, limit: 200)), "\(framing)")
            #expect(failure.kind == .tooLarge && failure.detail == "the answer is larger than 200 bytes", "\(framing): \(failure)")
        }
        #expect(try Self.transport(server.url, limit: 300).perform(Self.read).body.count == 300, "at the limit is fine")
    }

    @Test("a chunk size near Int.max is refused as too large, not an overflow")
    func hugeChunk() throws {
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n7fffffffffffffff\r\nxx")
        }
        defer { server.stop() }
        let failure = try #require(Self.failure(try Self.transport(server.url, limit: 200)))
        #expect(failure.kind == .tooLarge, "\(failure)")
    }

    @Test("connection refused and a name that is no address fail as unreachable")
    func refused() throws {
        let port = try Self.closedPort()
        let failure = try #require(Self.failure(try Self.transport("http://127.0.0.1:\(port)")))
        #expect(failure.kind == .connect && failure.detail.hasPrefix("Failed to connect to 127.0.0.1 port \(port)"), "\(failure)")
        #expect(failure.detail.hasSuffix("Connection refused"), "\(failure)")
    }

    @Test("no answer within the timeout: a timeout failure, on time")
    func timeout() throws {
        let start = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            connection.write(start)
            Thread.sleep(forTimeInterval: 5)
        }
        defer { server.stop() }
        let started = Date()
        let failure = try #require(Self.failure(try Self.transport(server.url, timeout: 0.5)))
        let took = Date().timeIntervalSince(started)
        #expect(failure.kind == .timeout && failure.detail.hasPrefix("Operation timed out after"), "\(failure)")
        #expect(failure.detail.hasSuffix("with \(start.utf8.count) bytes received"), "\(failure)")
        #expect(took >= 0.45 && took < 3, "took \(took) s for a 0.5 s timeout")
    }

    @Test("a kept-alive connection the server dropped: reconnected once, before or after sending")
    func reconnects() throws {
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            switch connection.number {
            case 1:
                // Closes right after the answer, without saying so: found idle-closed before the next request.
                connection.answer(200, "{}")
            case 2:
                connection.answer(200, "{}")
                // Reads the next request and drops it: found closed after sending.
                _ = connection.readRequest()
            default:
                connection.answer(200, #"{"again": true}"#)
            }
            connection.hangUp()
        }
        defer { server.stop() }
        let transport = try Self.transport(server.url)
        #expect(try transport.perform(Self.read).status == 200)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try transport.perform(Self.read).status == 200)
        #expect(try transport.perform(Self.read).body == Array(#"{"again": true}"#.utf8))
        #expect(server.connections == 3 && server.requests.count == 4, "\(server.requests.map(\.connection))")
    }

    @Test("answers that are not HTTP, or end before their headers, fail clearly")
    func garbage() throws {
        let server = try ScriptedHTTPServer { connection in
            _ = connection.readRequest()
            if connection.number == 1 { connection.write("SSH-2.0-OpenSSH_9.2\r\n\r\n") }
            connection.hangUp()
        }
        defer { server.stop() }
        let notHTTP = try #require(Self.failure(try Self.transport(server.url)))
        #expect(notHTTP.kind == .other && notHTTP.detail.contains("not HTTP/1.1") && notHTTP.detail.contains("SSH-2.0"), "\(notHTTP)")
        let empty = try #require(Self.failure(try Self.transport(server.url)))
        #expect(empty.kind == .connect && empty.detail == "Empty reply from server", "\(empty)")
    }

    /// A port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let server = try ScriptedHTTPServer { _ in }
        server.stop()
        return server.port
    }
}

/// A clock that records the pauses asked for instead of sleeping.
final class RecordingClock: ScriptClock {
    var slept: [Double] = []
    var time = 0.0
    func now() -> Double { time }
    func sleep(_ seconds: Double) {
        slept.append(seconds)
        time += seconds
    }
    func random() -> Double { 0.5 }
}
