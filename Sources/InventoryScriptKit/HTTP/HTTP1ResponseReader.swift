import InventoryModel

/// One HTTP/1.1 answer read off a ``SocketConnection``: the status line and headers, then the
/// body framed by `Transfer-Encoding: chunked`, `Content-Length`, or the connection's close,
/// never more than the transport's byte limit.
///
/// Failures use libcurl's words for the same events ("Empty reply from server", "transfer
/// closed with N bytes remaining to read"), with the kinds CurlTransport gives them: a
/// connection that ends early is `.connect` (retried: the claim key makes a repeated claim
/// safe), a reply that is not HTTP `.other`, too big `.tooLarge`.
struct HTTP1ResponseReader {
    struct Answer {
        var status: Int
        var body: [UInt8]
        var retryAfterSeconds: Double?
        /// Whether the connection may carry the next request: the server did not ask to
        /// close, the body had a framing of its own, and nothing followed it.
        var keepAlive: Bool
    }

    private let connection: SocketConnection
    private let deadline: Deadline
    private let limit: Int
    /// Bytes read but not yet consumed, from `head` on.
    private var pending: [UInt8] = []
    private var head = 0

    /// Headers above this are not the service's (its headers are a few hundred bytes).
    static let headerLimit = 64 * 1024
    static let readSize = 64 * 1024

    init(connection: SocketConnection, deadline: Deadline, limit: Int) {
        self.connection = connection
        self.deadline = deadline
        self.limit = limit
    }

    mutating func read() throws(TransportFailure) -> Answer {
        var top = try readHead()
        // 1xx answers (100 Continue, 103 Early Hints) come before the real one.
        while (100...199).contains(top.status) { top = try readHead() }
        var answer = Answer(status: top.status, body: [], retryAfterSeconds: top.retryAfterSeconds, keepAlive: top.keepAlive)
        if top.status == 204 || top.status == 304 {
            // No body by definition, whatever the headers say.
        } else if top.chunked {
            answer.body = try readChunked()
        } else if let length = top.contentLength {
            guard length <= limit else { throw tooLarge() }
            answer.body = try readExactly(length)
        } else {
            answer.body = try readToClose()
            answer.keepAlive = false
        }
        if head < pending.count { answer.keepAlive = false }
        return answer
    }

    // MARK: Status line and headers

    private struct Head {
        var status = 0
        var contentLength: Int?
        var chunked = false
        var retryAfterSeconds: Double?
        var keepAlive = true
    }

    private mutating func readHead() throws(TransportFailure) -> Head {
        var lines: [ArraySlice<UInt8>] = []
        var scanned = head
        // Up to the empty line; a bare LF ends a line too, as libcurl accepts.
        while true {
            if let newline = pending[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[scanned..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                scanned = newline + 1
                if line.isEmpty {
                    if lines.isEmpty { continue } // stray CRLF before the status line
                    break
                }
                lines.append(line)
                continue
            }
            guard scanned - head < Self.headerLimit else {
                throw TransportFailure(.other, "the answer's headers are larger than \(Self.headerLimit) bytes")
            }
            let offset = scanned - head
            guard try fill() else {
                if pending.count == head && connection.receivedSinceSend == 0 {
                    throw TransportFailure(.connect, "Empty reply from server")
                }
                throw TransportFailure(.connect, "the connection closed in the middle of the answer's headers")
            }
            scanned = head + offset
        }
        head = scanned
        return try parseHead(lines)
    }

    private func parseHead(_ lines: [ArraySlice<UInt8>]) throws(TransportFailure) -> Head {
        let statusLine = String(decoding: lines[0], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].utf8.count == 3, let status = Int(parts[1]) else {
            throw TransportFailure(.other, "the answer is not HTTP/1.1 (it starts: \(statusLine.prefix(60)))")
        }
        var result = Head(status: status)
        // HTTP/1.0 closes after the answer unless it says keep-alive.
        result.keepAlive = parts[0] != "HTTP/1.0"
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters()
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0, result.contentLength.map({ $0 == length }) ?? true else {
                    throw TransportFailure(.other, "the answer's Content-Length is not one number: \(value.prefix(40))")
                }
                result.contentLength = length
            case "transfer-encoding":
                // chunked is always the last coding; the service uses no other.
                result.chunked = value.lowercased().split(separator: ",").last.map { String($0).trimmingCharacters() } == "chunked"
            case "connection":
                let tokens = value.lowercased().split(separator: ",").map { String($0).trimmingCharacters() }
                if tokens.contains("close") { result.keepAlive = false } else if tokens.contains("keep-alive") { result.keepAlive = true }
            case "retry-after":
                if let seconds = HTTPResponse.retryAfterSeconds(value) { result.retryAfterSeconds = seconds }
            default:
                break
            }
        }
        return result
    }

    // MARK: Body

    /// `Content-Length` bytes, received straight into the body's storage (a 10k-host batch is
    /// megabytes; copying it once more would show in --list's time).
    private mutating func readExactly(_ length: Int) throws(TransportFailure) -> [UInt8] {
        let buffered = min(length, pending.count - head)
        var failure: TransportFailure?
        let pendingBytes = pending
        let start = head
        let body = [UInt8](unsafeUninitializedCapacity: length) { storage, count in
            HugePages.advise(UnsafeMutableRawBufferPointer(storage))
            pendingBytes.withUnsafeBufferPointer { bytes in
                _ = UnsafeMutableBufferPointer(rebasing: storage[..<buffered]).initialize(from: bytes[start..<(start + buffered)])
            }
            count = buffered
            while count < length {
                do throws(TransportFailure) {
                    let free = UnsafeMutableBufferPointer(rebasing: storage[count..<length])
                    let got = try connection.receive(into: UnsafeMutableRawBufferPointer(free), deadline: deadline)
                    guard got > 0 else {
                        failure = TransportFailure(.connect, "transfer closed with \(length - count) bytes remaining to read")
                        return
                    }
                    count += got
                } catch {
                    failure = error
                    return
                }
            }
        }
        head += buffered
        if let failure { throw failure }
        return body
    }

    private mutating func readChunked() throws(TransportFailure) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine(what: "a chunk's size")
            let sizeText = String(decoding: sizeLine.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self).trimmingCharacters()
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw TransportFailure(.other, "the answer's chunk size is not hexadecimal: \(sizeText.prefix(20))")
            }
            if size == 0 {
                // Trailers, if any, up to the empty line.
                while !(try readLine(what: "the chunked answer's end")).isEmpty {}
                return body
            }
            // Compared without adding: a size near Int.max (a broken answer) must not overflow.
            guard size <= limit - body.count else { throw tooLarge() }
            while pending.count - head < size + 2 {
                guard try fill() else { throw TransportFailure(.connect, "transfer closed with outstanding read data remaining") }
            }
            body.append(contentsOf: pending[head..<(head + size)])
            head += size
            guard try readLine(what: "a chunk's end").isEmpty else {
                throw TransportFailure(.other, "a chunk of the answer is longer than its size says")
            }
        }
    }

    private mutating func readToClose() throws(TransportFailure) -> [UInt8] {
        var body = Array(pending[head...])
        head = pending.count
        while true {
            guard body.count <= limit else { throw tooLarge() }
            if try connection.receive(appendingTo: &body, upTo: Self.readSize, deadline: deadline) == 0 { return body }
        }
    }

    // MARK: Buffer

    /// One line (without CRLF) from the buffer, reading more as needed.
    private mutating func readLine(what: String) throws(TransportFailure) -> ArraySlice<UInt8> {
        while true {
            if let newline = pending[head...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[head..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                head = newline + 1
                return line
            }
            guard pending.count - head < Self.headerLimit else {
                throw TransportFailure(.other, "the answer has no line end where \(what) should be")
            }
            guard try fill() else { throw TransportFailure(.connect, "transfer closed with outstanding read data remaining") }
        }
    }

    /// Reads more into the buffer; false when the peer closed the connection.
    private mutating func fill() throws(TransportFailure) -> Bool {
        if head > 0 && head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head > Self.readSize {
            pending.removeFirst(head)
            head = 0
        }
        return try connection.receive(appendingTo: &pending, upTo: Self.readSize, deadline: deadline) > 0
    }

    private func tooLarge() -> TransportFailure {
        TransportFailure(.tooLarge, "the answer is larger than \(limit) bytes")
    }
}
