/// The built-in HTTP/1.1 client for `http://` service addresses without a proxy: POSIX sockets
/// and nothing else, so such a run never loads libcurl (whose loading is a third of a 1k-host
/// `--list`). It sends what ``CurlTransport`` sends (method, path, the bearer token, JSON
/// content type and accept, a User-Agent) and keeps the one connection alive for the run's
/// few requests (pool mode makes three).
public final class SocketTransport: HTTPTransport {
    private let options: TransportOptions
    private let endpoint: HTTPEndpoint
    /// The headers every request carries, in wire form.
    private let commonHeaders: String
    private var connection: SocketConnection?

    public init(_ options: TransportOptions) throws(TransportFailure) {
        // A line break in the token would end the header early and smuggle in another: refused,
        // without quoting the token.
        guard !options.token.utf8.contains(where: { $0 == 13 || $0 == 10 }) else {
            throw TransportFailure(.setup, "the token contains a line break; check BATCH_SOURCE_TOKEN")
        }
        self.options = options
        endpoint = try HTTPEndpoint(options.service)
        commonHeaders = "Host: \(endpoint.hostHeader)\r\n"
            + "User-Agent: inventory-script/\(ScriptVersion.string)\r\n"
            + "Authorization: Bearer \(options.token)\r\n"
            + "Accept: application/json\r\n"
            + "Connection: keep-alive\r\n"
    }

    public func perform(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        let deadline = Deadline(seconds: options.timeoutSeconds)
        let bytes = wireForm(request)
        var mayRetry = true
        while true {
            let reused: Bool
            if let open = connection, open.isIdleAndOpen {
                reused = true
            } else {
                connection = nil
                connection = try SocketConnection.open(endpoint, connectTimeout: options.connectTimeoutSeconds, deadline: deadline)
                reused = false
            }
            guard let current = connection else { continue }
            do {
                try current.send(bytes, deadline: deadline)
                var reader = HTTP1ResponseReader(connection: current, deadline: deadline, limit: options.maxResponseBytes)
                let answer = try reader.read()
                if !answer.keepAlive { connection = nil }
                return HTTPResponse(status: answer.status, body: answer.body, retryAfterSeconds: answer.retryAfterSeconds)
            } catch {
                connection = nil
                // A kept-alive connection the server closed between our requests (its idle
                // timeout racing our check) fails before any byte of the answer: once, on a
                // new connection, as libcurl does. The service's requests are safe to repeat.
                if reused && mayRetry && error.kind == .connect && current.receivedSinceSend == 0 {
                    mayRetry = false
                    continue
                }
                throw error
            }
        }
    }

    /// The request line, headers and body in one buffer, sent with one write.
    func wireForm(_ request: HTTPRequest) -> [UInt8] {
        var head = "\(request.method) \(endpoint.pathPrefix)\(request.path) HTTP/1.1\r\n" + commonHeaders
        if let body = request.body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body = request.body { bytes.append(contentsOf: body) }
        return bytes
    }
}
