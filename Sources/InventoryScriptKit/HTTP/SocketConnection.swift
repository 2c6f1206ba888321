#if canImport(Glibc)
import Glibc
#endif

/// When a request must be done by: the transport's total timeout, counted from its start as
/// libcurl's CURLOPT_TIMEOUT_MS is.
struct Deadline {
    let start: Double
    let end: Double

    init(seconds: Double, now: Double = SystemIO.monotonicSeconds()) {
        start = now
        end = now + seconds
    }

    /// For poll: whole milliseconds left, rounded up so that a poll never ends just before the
    /// deadline and spins; 0 once it has passed.
    var remainingMilliseconds: Int32 {
        let left = (end - SystemIO.monotonicSeconds()) * 1000
        return left <= 0 ? 0 : Int32(min(left.rounded(.up), Double(Int32.max)))
    }

    var elapsedMilliseconds: Int { Int(((SystemIO.monotonicSeconds() - start) * 1000).rounded()) }
}

/// One TCP connection to the service, on a non-blocking socket driven by poll: every wait is
/// bounded by the request's deadline, which a blocking send or recv could overrun (a send
/// blocks for as long as the peer does not read). Failures are ``TransportFailure``s in the
/// kinds and the words libcurl uses for the same events, so ErrorMapping reads them alike.
final class SocketConnection {
    private let fd: Int32
    /// `host port N`, for messages.
    let peer: String
    /// Bytes received since the last ``send(_:deadline:)``: timeout messages give it, and a
    /// reused connection that fails before any byte of the answer may be retried.
    private(set) var receivedSinceSend = 0

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { close(fd) }

    /// Resolves the host and connects to its first address that accepts, within the connect
    /// timeout (and the request's deadline, whichever ends first).
    static func open(_ endpoint: HTTPEndpoint, connectTimeout: Double, deadline: Deadline) throws(TransportFailure) -> SocketConnection {
        let peer = "\(endpoint.host) port \(endpoint.port)"
        let connectEnd = min(deadline.end, deadline.start + connectTimeout)
        let connectDeadline = Deadline(start: deadline.start, end: connectEnd)
        // Looking the name up counts against the connect timeout, as with libcurl.
        let addresses = try HostResolver.resolve(endpoint.host, port: endpoint.port, until: connectEnd)
        defer { withExtendedLifetime(addresses) {} }
        var lastError: Int32 = ECONNREFUSED
        var address: UnsafeMutablePointer<addrinfo>? = addresses.first
        while let current = address {
            address = current.pointee.ai_next
            let fd = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                            current.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            let connection = SocketConnection(fd: fd, peer: peer)
            if connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 {
                return connection.configured()
            }
            guard errno == EINPROGRESS else {
                lastError = errno
                continue
            }
            guard try connection.wait(for: Int16(POLLOUT), until: connectDeadline) else {
                if connectEnd >= deadline.end {
                    throw TransportFailure(.timeout, "Operation timed out after \(deadline.elapsedMilliseconds) milliseconds with 0 bytes received")
                }
                throw TransportFailure(.timeout, "Failed to connect to \(peer) after \(deadline.elapsedMilliseconds) ms: Connection timed out")
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0, code == 0 {
                return connection.configured()
            }
            lastError = code != 0 ? code : errno
        }
        throw TransportFailure(.connect, "Failed to connect to \(peer) after \(deadline.elapsedMilliseconds) ms: \(SystemIO.errorText(lastError))")
    }

    /// Requests go out in one write, so Nagle's delay would only ever hold a retried tail.
    private func configured() -> SocketConnection {
        var on: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return self
    }

    /// Whether an idle kept-alive connection is still usable: nothing to read yet. A server
    /// that closed it (its idle timeout) makes it readable (EOF); so does stray data, after
    /// which the connection's framing cannot be trusted either.
    var isIdleAndOpen: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 0
    }

    /// Sends all of `bytes`. MSG_NOSIGNAL: a peer that went away is an EPIPE error here, not a
    /// SIGPIPE that ends the process (inventory-script ignores SIGPIPE; its tests do not).
    func send(_ bytes: [UInt8], deadline: Deadline) throws(TransportFailure) {
        receivedSinceSend = 0
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else {
                throw TransportFailure(.connect, "Send failure: \(SystemIO.errorText(code))")
            }
            guard try wait(for: Int16(POLLOUT), until: deadline) else { throw timedOut(deadline) }
        }
    }

    /// Reads what has come, at most `buffer.count` bytes, waiting until the deadline; 0 when
    /// the peer closed the connection.
    func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(TransportFailure) -> Int {
        while true {
            let got = recv(fd, buffer.baseAddress, buffer.count, 0)
            if got >= 0 {
                receivedSinceSend += got
                return got
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else {
                throw TransportFailure(.connect, "Recv failure: \(SystemIO.errorText(code))")
            }
            guard try wait(for: Int16(POLLIN), until: deadline) else { throw timedOut(deadline) }
        }
    }

    /// ``receive(into:deadline:)`` onto the end of `bytes`, at most `count` more.
    func receive(appendingTo bytes: inout [UInt8], upTo count: Int, deadline: Deadline) throws(TransportFailure) -> Int {
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        // withUnsafeMutableBytes rethrows untyped errors: the outcome is carried out instead.
        var outcome: Result<Int, TransportFailure> = .success(0)
        bytes.withUnsafeMutableBytes { buffer in
            do throws(TransportFailure) {
                outcome = .success(try receive(into: UnsafeMutableRawBufferPointer(rebasing: buffer[old...]), deadline: deadline))
            } catch {
                outcome = .failure(error)
            }
        }
        let got = (try? outcome.get()) ?? 0
        bytes.removeLast(count - got)
        return try outcome.get()
    }

    func timedOut(_ deadline: Deadline) -> TransportFailure {
        TransportFailure(.timeout, "Operation timed out after \(deadline.elapsedMilliseconds) milliseconds with \(receivedSinceSend) bytes received")
    }

    /// Waits until the socket is ready for `events`; false when the deadline came first.
    /// An error or hang-up counts as ready: the following call reports it.
    private func wait(for events: Int16, until deadline: Deadline) throws(TransportFailure) -> Bool {
        while true {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, deadline.remainingMilliseconds)
            if ready > 0 { return true }
            if ready == 0 { return false }
            if errno != EINTR { throw TransportFailure(.other, "poll failed: \(SystemIO.errorText(errno))") }
        }
    }
}

extension Deadline {
    /// A deadline with its own end (the connect timeout's), elapsed time still counted from
    /// the request's start.
    init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }
}
