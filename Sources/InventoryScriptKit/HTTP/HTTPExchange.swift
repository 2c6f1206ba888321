/// One request to the service: method, path below the base address (query included), body.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// Starts with `/`, e.g. `/api/v1/cursors/web/claim`.
    public var path: String
    public var body: [UInt8]?

    public init(method: String, path: String, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }

    /// `POST /api/v1/…`, for messages.
    public var summary: String {
        let pathOnly = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return "\(method) \(pathOnly)"
    }
}

/// The service's answer.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]
    /// The `Retry-After` header in seconds, when the service sent one.
    public var retryAfterSeconds: Double?

    /// A `Retry-After` value in seconds; the HTTP-date form is left alone (the service sends
    /// seconds), as is anything that is not a finite, non-negative number.
    static func retryAfterSeconds(_ value: String) -> Double? {
        guard let seconds = Double(value), seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }

    public init(status: Int, body: [UInt8], retryAfterSeconds: Double? = nil) {
        self.status = status
        self.body = body
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// Why no answer came back.
public struct TransportFailure: Error, Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// No connection, or it broke: worth retrying.
        case connect
        /// No (whole) answer in time: worth retrying.
        case timeout
        /// TLS failed: retrying does not help; a CA file or the address does.
        case tls
        /// The request cannot be made as configured (bad address, unsupported protocol).
        case setup
        /// The answer was larger than the client accepts.
        case tooLarge
        case other
    }

    public var kind: Kind
    /// libcurl's words for it.
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var isRetryable: Bool { kind == .connect || kind == .timeout }
}

/// Sends requests to the service. ``CurlTransport`` is the real one.
public protocol HTTPTransport {
    func perform(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse
}

/// Percent-encoding for path segments and query values (RFC 3986 unreserved characters pass).
public enum URLText {
    public static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return out
    }

    /// `?a=1&b=2` from pairs, leaving out absent values; empty when there are none.
    public static func query(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value in value.map { "\(name)=\(encode($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}
