import CCurl

/// How the transport talks to the service.
public struct TransportOptions: Sendable, Hashable {
    public var service: ServiceURL
    public var token: String
    public var caFile: String?
    public var verifyTLS: Bool
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// Answers above this many bytes are refused (a whole pool of a million hosts is far below).
    public var maxResponseBytes: Int

    public init(
        service: ServiceURL, token: String, caFile: String?, verifyTLS: Bool, timeoutSeconds: Double,
        connectTimeoutSeconds: Double, maxResponseBytes: Int = 1 << 30
    ) {
        self.service = service
        self.token = token
        self.caFile = caFile
        self.verifyTLS = verifyTLS
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Where libcurl's callbacks put the answer; reached through the callbacks' context pointer.
private final class ResponseSink {
    var body: [UInt8] = []
    var retryAfterSeconds: Double?
    var limit: Int
    var tooLarge = false

    init(limit: Int) { self.limit = limit }

    func reset() {
        body = []
        retryAfterSeconds = nil
        tooLarge = false
    }

    /// One header line. A status line starts a new response (after a proxy's CONNECT answer
    /// or a 100 Continue), so what was noted before is dropped.
    func header(_ line: UnsafeBufferPointer<UInt8>) {
        if line.starts(with: "HTTP/".utf8) {
            retryAfterSeconds = nil
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self).lowercased()
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self)
            .trimmingCharacters()
        switch name {
        case "retry-after":
            if let seconds = HTTPResponse.retryAfterSeconds(value) { retryAfterSeconds = seconds }
        case "content-length":
            if let length = Int(value), length > 0, length <= limit { body.reserveCapacity(length) }
        default:
            break
        }
    }
}

/// The HTTP transport on libcurl: one handle for the whole run, so the requests of `--list` in
/// pool mode share one connection (and one TLS handshake).
///
/// libcurl is loaded at run time (``Libcurl``), so the executable does not link it.
/// Proxies come from the environment as libcurl reads it (`https_proxy`, `HTTPS_PROXY`,
/// `http_proxy`, `no_proxy`); redirects are not followed, since a redirect in front of an API
/// usually leads to a login page.
public final class CurlTransport: HTTPTransport {
    private let options: TransportOptions
    private let api: UnsafePointer<bs_curl_api>
    private let handle: UnsafeMutableRawPointer
    private let sink: ResponseSink
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var getHeaders: UnsafeMutablePointer<curl_slist>?
    private var postHeaders: UnsafeMutablePointer<curl_slist>?

    public init(_ options: TransportOptions) throws(TransportFailure) {
        let api = try Libcurl.load()
        // CURL_GLOBAL_ALL; once per process, and this program makes one transport.
        guard api.pointee.global_init!(3) == CURLE_OK, let handle = api.pointee.easy_init!() else {
            throw TransportFailure(.setup, "libcurl could not be initialised")
        }
        self.options = options
        self.api = api
        self.handle = handle
        self.sink = ResponseSink(limit: options.maxResponseBytes)
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let common = ["Authorization: Bearer \(options.token)", "Accept: application/json", "Expect:"]
        for line in common {
            getHeaders = api.pointee.slist_append!(getHeaders, line)
            postHeaders = api.pointee.slist_append!(postHeaders, line)
        }
        postHeaders = api.pointee.slist_append!(postHeaders, "Content-Type: application/json")
        try configure()
    }

    deinit {
        api.pointee.easy_cleanup!(handle)
        api.pointee.slist_free_all!(getHeaders)
        api.pointee.slist_free_all!(postHeaders)
        errorBuffer.deallocate()
    }

    private func configure() throws(TransportFailure) {
        func check(_ code: CURLcode, _ what: String) throws(TransportFailure) {
            guard code == CURLE_OK else {
                throw TransportFailure(
                    .setup, "libcurl refused \(what): \(String(cString: api.pointee.easy_strerror!(code)!))")
            }
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        try check(bs_curl_setopt_long(api, handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(bs_curl_setopt_long(api, handle, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        try check(bs_curl_setopt_pointer(api, handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try check(
            bs_curl_setopt_string(api, handle, CURLOPT_USERAGENT, "inventory-script/\(ScriptVersion.string)"),
            "USERAGENT")
        try check(
            bs_curl_setopt_long(api, handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(options.timeoutSeconds)),
            "TIMEOUT_MS")
        try check(
            bs_curl_setopt_long(
                api, handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeoutSeconds)),
            "CONNECTTIMEOUT_MS")
        try check(bs_curl_setopt_long(api, handle, CURLOPT_SSL_VERIFYPEER, options.verifyTLS ? 1 : 0), "SSL_VERIFYPEER")
        try check(bs_curl_setopt_long(api, handle, CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0), "SSL_VERIFYHOST")
        if let caFile = options.caFile {
            try check(bs_curl_setopt_string(api, handle, CURLOPT_CAINFO, caFile), "CAINFO \(caFile)")
        }
        try check(bs_curl_setopt_pointer(api, handle, CURLOPT_WRITEDATA, context), "WRITEDATA")
        try check(
            bs_curl_setopt_callback(
                api, handle, CURLOPT_WRITEFUNCTION,
                { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    let length = size * count
                    guard sink.body.count + length <= sink.limit else {
                        sink.tooLarge = true
                        return 0
                    }
                    if let data, length > 0 {
                        data.withMemoryRebound(to: UInt8.self, capacity: length) {
                            sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                        }
                    }
                    return length
                }), "WRITEFUNCTION")
        try check(bs_curl_setopt_pointer(api, handle, CURLOPT_HEADERDATA, context), "HEADERDATA")
        try check(
            bs_curl_setopt_callback(
                api, handle, CURLOPT_HEADERFUNCTION,
                { data, size, count, context in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                    let length = size * count
                    if let data, length > 0 {
                        data.withMemoryRebound(to: UInt8.self, capacity: length) {
                            sink.header(UnsafeBufferPointer(start: $0, count: length))
                        }
                    }
                    return length
                }), "HEADERFUNCTION")
    }

    public func perform(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        sink.reset()
        errorBuffer[0] = 0
        let url = options.service.base + request.path
        var code = bs_curl_setopt_string(api, handle, CURLOPT_URL, url)
        if code == CURLE_OK {
            if let body = request.body {
                code = bs_curl_setopt_long(api, handle, CURLOPT_POST, 1)
                if code == CURLE_OK { code = bs_curl_setopt_long(api, handle, CURLOPT_POSTFIELDSIZE, body.count) }
                if code == CURLE_OK {
                    code = body.withUnsafeBufferPointer {
                        bs_curl_setopt_pointer(
                            api, handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
                    }
                }
                if code == CURLE_OK { code = bs_curl_setopt_slist(api, handle, CURLOPT_HTTPHEADER, postHeaders) }
            } else {
                code = bs_curl_setopt_long(api, handle, CURLOPT_HTTPGET, 1)
                if code == CURLE_OK { code = bs_curl_setopt_slist(api, handle, CURLOPT_HTTPHEADER, getHeaders) }
            }
            if code == CURLE_OK, request.method != "GET" && request.method != "POST" {
                code = bs_curl_setopt_string(api, handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
        }
        if code == CURLE_OK { code = api.pointee.easy_perform!(handle) }
        guard code == CURLE_OK else { throw failure(code) }
        var status = 0
        _ = bs_curl_getinfo_long(api, handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: sink.body, retryAfterSeconds: sink.retryAfterSeconds)
    }

    private func failure(_ code: CURLcode) -> TransportFailure {
        let detail =
            errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: api.pointee.easy_strerror!(code)!)
        if sink.tooLarge {
            return TransportFailure(.tooLarge, "the answer is larger than \(options.maxResponseBytes) bytes")
        }
        return TransportFailure(Self.kind(of: code), detail)
    }

    static func kind(of code: CURLcode) -> TransportFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connect
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN:
            return .setup
        default:
            return .other
        }
    }

    static func milliseconds(_ seconds: Double) -> Int {
        max(1, Int((seconds * 1000).rounded(.up)))
    }
}
