import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// One keep-alive HTTP/1.1 connection on a blocking socket, for the claim load generator.
///
/// Client and service share this machine's two cores, so every microsecond the load generator
/// spends is taken from the service: a blocking socket per worker thread costs a fraction of
/// an event-loop HTTP client's CPU per request.
final class SocketHTTP {
    private let host: String
    private let port: UInt16
    private let token: String
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    /// `base` is `http://HOST:PORT` (IPv4 loopback, as the benchmarks use).
    init(base: String, token: String) throws {
        guard let url = URL(string: base), url.scheme == "http", let host = url.host, let port = url.port else {
            throw BenchError("the raw client needs http://HOST:PORT, got \(base)")
        }
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = UInt16(port)
        self.token = token
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one request and reads its answer: status and body.
    func call(_ method: String, _ path: String, json: String) throws -> (Int, [UInt8]) {
        if fd < 0 { try connect() }
        let body = Array(json.utf8)
        let head =
            "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse()
    }

    private func connect() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw BenchError("connect to \(host):\(port): \(String(cString: strerror(errno)))") }
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw BenchError("send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchError("the service closed the connection") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func readResponse() throws -> (Int, [UInt8]) {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let r = buffer.firstRange(of: crlf2) { headEnd = r.upperBound } else { try fill() }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { throw BenchError("bad status line: \(head.prefix(80))") }
        var length = 0
        var chunked = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") {
                length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
        }
        buffer.removeFirst(headEnd!)
        if !chunked {
            while buffer.count < length { try fill() }
            let body = Array(buffer[..<length])
            buffer.removeFirst(length)
            return (status, body)
        }
        var body: [UInt8] = []
        while true {
            var lineEnd: Int?
            while lineEnd == nil {
                if let r = buffer.firstRange(of: [13, 10]) { lineEnd = r.lowerBound } else { try fill() }
            }
            let size =
                Int(String(decoding: buffer[..<lineEnd!], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            buffer.removeFirst(lineEnd! + 2)
            while buffer.count < size + 2 { try fill() }
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
            if size == 0 { return (status, body) }
        }
    }
}
