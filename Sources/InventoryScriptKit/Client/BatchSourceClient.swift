import InventoryModel

/// The calls inventory-script makes to the batch-source API, with retries and with every
/// failure turned into a one-line ``ScriptError``.
public final class BatchSourceClient {
    let transport: any HTTPTransport
    let service: ServiceURL
    let policy: RetryPolicy
    let clock: any ScriptClock

    public init(
        transport: any HTTPTransport, service: ServiceURL, policy: RetryPolicy, clock: any ScriptClock = SystemClock()
    ) {
        self.transport = transport
        self.service = service
        self.policy = policy
        self.clock = clock
    }

    /// `POST /api/v1/cursors/{cursor}/claim`: the consumer's batch, new or held. Safe to retry:
    /// the claim key makes a repeated claim return the batch of the first.
    public func claim(cursor: String, consumer: String, claimKey: String) throws(ScriptError) -> ClaimResponse {
        let request = Self.claimRequest(cursor: cursor, consumer: consumer, claimKey: claimKey)
        return try decode(ClaimResponse.self, try exchange(request, doing: Self.claiming(cursor)), request)
    }

    private static func claimRequest(cursor: String, consumer: String, claimKey: String) -> HTTPRequest {
        let body = JSONWriter(indent: nil).string(
            .object(["consumer": .string(consumer), "claim_key": .string(claimKey)]))
        return HTTPRequest(
            method: "POST", path: "/api/v1/cursors/\(URLText.encode(cursor))/claim", body: Array(body.utf8))
    }

    private static func claiming(_ cursor: String) -> String { "claiming a batch of cursor \(cursor)" }

    /// `GET /api/v1/cursors/{cursor}/claim`: what the consumer holds now, never claiming;
    /// `nil` when it holds nothing.
    public func currentClaim(cursor: String, consumer: String, claimKey: String?) throws(ScriptError) -> ClaimResponse?
    {
        let query = URLText.query([("consumer", consumer), ("claim_key", claimKey)])
        let request = HTTPRequest(method: "GET", path: "/api/v1/cursors/\(URLText.encode(cursor))/claim\(query)")
        let doing = "reading the current batch of cursor \(cursor) for \(consumer)"
        guard let value = try exchange(request, doing: doing, absentCode: "no_current_batch") else { return nil }
        return try decode(ClaimResponse.self, value, request)
    }

    /// `GET /api/v1/cursors/{cursor}`.
    public func cursorInfo(_ cursor: String) throws(ScriptError) -> CursorInfo {
        let request = HTTPRequest(method: "GET", path: "/api/v1/cursors/\(URLText.encode(cursor))")
        return try decode(CursorInfo.self, try exchange(request, doing: "reading cursor \(cursor)"), request)
    }

    /// `GET /api/v1/pools/{pool}/inventory?revision=N&export=true`: a pool revision as script
    /// JSON, group vars on the groups.
    public func poolInventory(pool: String, revision: Int) throws(ScriptError) -> JSONValue {
        let query = URLText.query([("revision", String(revision)), ("export", "true")])
        let request = HTTPRequest(method: "GET", path: "/api/v1/pools/\(URLText.encode(pool))/inventory\(query)")
        guard let value = try exchange(request, doing: "reading revision \(revision) of pool \(pool)") else {
            throw ScriptError(.badAnswer, "reading revision \(revision) of pool \(pool) at \(service): empty answer")
        }
        return value
    }

    // MARK: Exchange

    func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue?, _ request: HTTPRequest) throws(ScriptError) -> T {
        guard let value else {
            throw ScriptError(
                .badAnswer, "\(request.summary) at \(service): the answer is empty; is this a batch-source service?")
        }
        do {
            return try JSONValueDecoder().decode(T.self, from: value)
        } catch let error as DecodingError {
            throw ScriptError(
                .badAnswer,
                "\(request.summary) at \(service): the answer is not the API's \(T.self) (\(error.pathAndReason)); "
                    + "is the service a batch-source of the same version?"
            )
        } catch {
            throw ScriptError(
                .badAnswer, "\(request.summary) at \(service): the answer is not the API's \(T.self) (\(error))")
        }
    }

    /// Sends a request, retrying what is worth retrying, and returns the parsed JSON of a 2xx
    /// answer; `nil` for a 404 with `absentCode`.
    func exchange(_ request: HTTPRequest, doing: String, absentCode: String? = nil) throws(ScriptError) -> JSONValue? {
        let started = clock.now()
        var attempt = 1
        while true {
            let outcome: Result<HTTPResponse, TransportFailure>
            do {
                outcome = .success(try transport.perform(request))
            } catch {
                outcome = .failure(error)
            }
            var retryAfter: Double?
            let failure: ScriptError
            switch outcome {
            case .success(let response):
                if (200..<300).contains(response.status) { return try parse(response, request) }
                let answer = ServiceAnswer(response)
                if response.status == 404, let absentCode, answer.code == absentCode { return nil }
                guard Self.isRetryable(status: response.status) else {
                    throw ErrorMapping.service(answer, doing: doing, at: service, request: request)
                }
                retryAfter = response.retryAfterSeconds ?? answer.retryAfterSeconds
                failure = ErrorMapping.service(answer, doing: doing, at: service, request: request)
            case .failure(let transportFailure):
                guard transportFailure.isRetryable else {
                    throw ErrorMapping.transport(transportFailure, doing: doing, at: service, request: request)
                }
                failure = ErrorMapping.transport(transportFailure, doing: doing, at: service, request: request)
            }
            let elapsed = clock.now() - started
            guard
                let pause = policy.delay(
                    beforeRetry: attempt, elapsed: elapsed, retryAfter: retryAfter, random: clock.random())
            else {
                var final = failure
                if attempt > 1 {
                    let spent = clock.now() - started
                    final.message +=
                        " (\(attempt) attempts in \(Self.seconds(spent)); retries: BATCH_SOURCE_RETRIES, "
                        + "BATCH_SOURCE_RETRY_TIME)"
                }
                throw final
            }
            clock.sleep(pause)
            attempt += 1
        }
    }

    /// 5xx (but 501: it will not change) and 429 are worth another try; 503 with Retry-After
    /// is the service saying when.
    static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status) && status != 501
    }

    func parse(_ response: HTTPResponse, _ request: HTTPRequest) throws(ScriptError) -> JSONValue? {
        if response.body.isEmpty || response.status == 204 { return nil }
        do {
            return try response.body.withUnsafeBufferPointer { (bytes) throws(JSONSyntaxError) -> JSONValue in
                try JSONParser.parse(bytes: bytes)
            }
        } catch {
            let start = String(decoding: response.body.prefix(80), as: UTF8.self)
            throw ScriptError(
                .badAnswer,
                "\(request.summary) at \(service) answered \(response.status) with something that is not JSON "
                    + "(\(error.description); it starts: \(start)); is BATCH_SOURCE_URL the batch-source service and "
                    + "not a proxy or a login page?"
            )
        }
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

/// An error answer: status, and the API's code and message when the body is the API's error.
struct ServiceAnswer {
    var status: Int
    var code: String?
    var message: String?
    var retryAfterSeconds: Double?
    /// The start of a body that is not the API's error (a proxy's page), for the message.
    var rawStart: String?

    init(_ response: HTTPResponse) {
        status = response.status
        retryAfterSeconds = response.retryAfterSeconds
        let parsed = try? response.body.withUnsafeBufferPointer { (bytes) throws(JSONSyntaxError) -> JSONValue in
            try JSONParser.parse(bytes: bytes)
        }
        if let parsed, let body = try? JSONValueDecoder().decode(APIErrorBody.self, from: parsed) {
            code = body.error.code
            message = body.error.message
            if let seconds = body.error.retryAfterSeconds, retryAfterSeconds == nil {
                retryAfterSeconds = Double(seconds)
            }
        } else if !response.body.isEmpty {
            rawStart = String(decoding: response.body.prefix(120), as: UTF8.self)
        }
    }
}
