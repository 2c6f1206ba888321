import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real TCP server on 127.0.0.1 whose every connection is handled by a script: it reads
/// requests off the socket and writes whatever bytes the test wants, including what a correct
/// server never sends (a body cut short, no answer at all). That is how the built-in HTTP
/// client's edge cases are produced over a real socket.
final class ScriptedHTTPServer: Sendable {
    /// One accepted connection, seen from the server side.
    final class Connection: Sendable {
        let fd: Int32
        /// 1 for the first connection the server accepted, 2 for the next, …
        let number: Int
        let server: ScriptedHTTPServer

        init(fd: Int32, number: Int, server: ScriptedHTTPServer) {
            self.fd = fd
            self.number = number
            self.server = server
        }

        /// The next request's head and body as text (also kept in the server's log); nil when
        /// the client closed.
        func readRequest() -> String? {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                if let end = Self.headEnd(bytes) {
                    let head = String(decoding: bytes[..<end], as: UTF8.self)
                    let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if bytes.count >= end + length {
                        let request = String(decoding: bytes[..<(end + length)], as: UTF8.self)
                        server.seen.withLock { $0.append((number, request)) }
                        return request
                    }
                }
                let got = recv(fd, &chunk, chunk.count, 0)
                if got <= 0 { return nil }
                bytes += chunk[..<got]
            }
        }

        static func headEnd(_ bytes: [UInt8]) -> Int? {
            guard bytes.count >= 4 else { return nil }
            for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
                return i + 4
            }
            return nil
        }

        func write(_ text: String) { write(Array(text.utf8)) }

        func write(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { return }
                offset += sent
            }
        }

        /// Ends the connection now (FIN), whatever the client still expects.
        func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

        /// An answer with Content-Length.
        func answer(_ status: Int, _ body: String, headers: [String] = []) {
            let head = (["HTTP/1.1 \(status) Status", "Content-Type: application/json", "Content-Length: \(body.utf8.count)"] + headers)
                .joined(separator: "\r\n")
            write(head + "\r\n\r\n" + body)
        }
    }

    let port: Int
    private let listener: Int32
    /// Every request seen, in order, with the number of the connection it came on.
    fileprivate let seen = Mutex<[(connection: Int, request: String)]>([])
    private let accepted = Mutex(0)

    /// `handle` runs on a thread of its own per connection; the connection is closed when it
    /// returns. The accept thread keeps the server alive until ``stop()``.
    init(_ handle: @escaping @Sendable (Connection) -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 16) == 0 else { throw DistError("the scripted server cannot listen: \(String(cString: strerror(errno)))") }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else {
                    // stop()'s shutdown ends the wait; the descriptor is closed here, by the
                    // one thread that uses it, so its number cannot be reused under a running accept.
                    close(listener)
                    return
                }
                let number = accepted.withLock { count in
                    count += 1
                    return count
                }
                let connection = Connection(fd: fd, number: number, server: self)
                Thread.detachNewThread {
                    handle(connection)
                    close(fd)
                }
            }
        }
    }

    var requests: [(connection: Int, request: String)] { seen.withLock { $0 } }
    var connections: Int { accepted.withLock { $0 } }

    /// Stops listening (new connections are refused); connections already accepted go on.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    var url: String { "http://127.0.0.1:\(port)" }
}
