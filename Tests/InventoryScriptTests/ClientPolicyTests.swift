@testable import InventoryScriptKit
import Testing

/// Retry timing, error wording and CA discovery: the parts of the client that need no network.
/// (Retries against real HTTP are in EndToEndTests' InventoryScriptEndToEndTests.)
@Suite("inventory-script client policy")
struct ClientPolicyTests {
    @Test("backoff doubles from 0.5 s with jitter in the upper half, capped, and never past the time bound")
    func backoff() {
        let policy = RetryPolicy(retries: 6, totalSeconds: 30, baseDelaySeconds: 0.5, maxDelaySeconds: 4)
        #expect(policy.delay(beforeRetry: 1, elapsed: 0, retryAfter: nil, random: 0) == 0.25)
        #expect(policy.delay(beforeRetry: 1, elapsed: 0, retryAfter: nil, random: 0.999)! < 0.5)
        #expect(policy.delay(beforeRetry: 2, elapsed: 0, retryAfter: nil, random: 0) == 0.5)
        #expect(policy.delay(beforeRetry: 3, elapsed: 0, retryAfter: nil, random: 1) == 2)
        #expect(policy.delay(beforeRetry: 6, elapsed: 0, retryAfter: nil, random: 1) == 4, "capped")
        #expect(policy.delay(beforeRetry: 7, elapsed: 0, retryAfter: nil, random: 0) == nil, "out of retries")
        #expect(
            policy.delay(beforeRetry: 2, elapsed: 29.8, retryAfter: nil, random: 0) == nil, "would end past the bound")
        #expect(policy.delay(beforeRetry: 1, elapsed: 0, retryAfter: 3, random: 0) == 3, "Retry-After is honoured")
        #expect(policy.delay(beforeRetry: 1, elapsed: 10, retryAfter: 25, random: 0) == nil, "but not past the bound")
        #expect(
            RetryPolicy(retries: 0, totalSeconds: 60).delay(beforeRetry: 1, elapsed: 0, retryAfter: nil, random: 0)
                == nil)
    }

    @Test("what is retried: 5xx but 501, 429, connection failures and timeouts; not 4xx or TLS")
    func retryable() {
        #expect(BatchSourceClient.isRetryable(status: 500))
        #expect(BatchSourceClient.isRetryable(status: 503))
        #expect(BatchSourceClient.isRetryable(status: 429))
        #expect(!BatchSourceClient.isRetryable(status: 501))
        #expect(!BatchSourceClient.isRetryable(status: 409))
        #expect(!BatchSourceClient.isRetryable(status: 401))
        #expect(TransportFailure(.connect, "").isRetryable)
        #expect(TransportFailure(.timeout, "").isRetryable)
        #expect(!TransportFailure(.tls, "").isRetryable)
    }

    static let service = try! ServiceURL("https://bs.example:8443", origin: "test")
    static let claim = HTTPRequest(method: "POST", path: "/api/v1/cursors/web/claim", body: [])

    static func mapped(_ status: Int, _ body: String, retryAfter: Double? = nil) -> ScriptError {
        ErrorMapping.service(
            ServiceAnswer(HTTPResponse(status: status, body: Array(body.utf8), retryAfterSeconds: retryAfter)),
            doing: "claiming a batch of cursor web", at: service, request: claim)
    }

    @Test("API errors become one line with the service's words, the kind and what to do")
    func apiErrors() {
        let paused = Self.mapped(
            409,
            #"{"error": {"code": "cursor_paused", "message": "cursor web is paused: paused after batch 1 (pause_after)"}}"#
        )
        #expect(paused.kind == .cursorPaused && paused.exitStatus == 6 && paused.isWorthWaiting)
        #expect(paused.message.contains("paused after batch 1") && paused.message.contains("--wait"))

        let halted = Self.mapped(
            409,
            #"{"error": {"code": "cursor_halted", "message": "cursor web is halted: batch 2: 3 of 10 hosts failed"}}"#)
        #expect(halted.kind == .cursorStopped && !halted.isWorthWaiting)
        #expect(halted.message.contains("3 of 10 hosts failed"))

        let busy = Self.mapped(
            409, #"{"error": {"code": "no_batch_free", "message": "all out", "retry_after_seconds": 7}}"#)
        #expect(busy.kind == .noBatchFree && busy.retryAfterSeconds == 7)

        let unauthorized = Self.mapped(401, #"{"error": {"code": "unauthorized", "message": "unknown token"}}"#)
        #expect(
            unauthorized.kind == .unauthorized && unauthorized.exitStatus == 4
                && unauthorized.message.contains("BATCH_SOURCE_TOKEN"))
        #expect(
            Self.mapped(403, #"{"error": {"code": "forbidden", "message": "needs claim"}}"#).message.contains(
                "claim scope"))

        let missing = Self.mapped(404, #"{"error": {"code": "not_found", "message": "no cursor named web"}}"#)
        #expect(
            missing.kind == .notFound && missing.message.contains("no cursor named web")
                && missing.message.contains("BATCH_SOURCE_CURSOR"))

        let proxyPage = Self.mapped(502, "<html>\n<body>Bad Gateway</body>\n</html>")
        #expect(
            proxyPage.kind == .service && proxyPage.message.contains("502") && proxyPage.message.contains("Bad Gateway")
        )
        #expect(!proxyPage.message.contains("\n"))
        #expect(
            proxyPage.description.hasPrefix(
                "inventory-script: claiming a batch of cursor web at https://bs.example:8443"))
    }

    @Test("transport failures say what to check")
    func transportErrors() {
        let tls = ErrorMapping.transport(
            TransportFailure(.tls, "SSL certificate problem: unable to get local issuer certificate"),
            doing: "claiming", at: Self.service, request: Self.claim)
        #expect(tls.kind == .tls && tls.exitStatus == 3 && tls.message.contains("BATCH_SOURCE_CA_FILE"))
        let down = ErrorMapping.transport(
            TransportFailure(.connect, "Connection refused"), doing: "claiming", at: Self.service, request: Self.claim)
        #expect(
            down.kind == .unreachable && down.message.contains("Connection refused")
                && down.message.contains("BATCH_SOURCE_URL"))
        let slow = ErrorMapping.transport(
            TransportFailure(.timeout, "Operation timed out after 30001 ms"), doing: "claiming", at: Self.service,
            request: Self.claim)
        #expect(slow.kind == .timeout && slow.message.contains("BATCH_SOURCE_TIMEOUT"))
    }

    @Test("messages stay one line and bounded")
    func oneLine() {
        #expect(ScriptError.oneLine("a\n  b\r\n\tc ") == "a b c")
        #expect(ScriptError.oneLine(String(repeating: "x", count: 5000)).count <= 601)
        #expect(ScriptError.oneLine("bell\u{7}ed") == "belled")
    }

    @Test("CA file: configured, else SSL_CERT_FILE / CURL_CA_BUNDLE, else the first system bundle there")
    func caBundle() {
        let present: Set<String> = ["/etc/pki/tls/certs/ca-bundle.crt", "/srv/env.pem"]
        let exists = { (path: String) in present.contains(path) }
        #expect(
            CABundle.choose(configured: "/mine.pem", environment: ["SSL_CERT_FILE": "/srv/env.pem"], isReadable: exists)
                == "/mine.pem")
        #expect(
            CABundle.choose(configured: nil, environment: ["SSL_CERT_FILE": "/srv/env.pem"], isReadable: exists)
                == "/srv/env.pem")
        #expect(
            CABundle.choose(configured: nil, environment: ["SSL_CERT_FILE": "/gone.pem"], isReadable: exists)
                == "/etc/pki/tls/certs/ca-bundle.crt", "RHEL's path")
        #expect(CABundle.choose(configured: nil, environment: [:], isReadable: { _ in false }) == nil)
        #expect(CABundle.systemPaths.first == "/etc/ssl/certs/ca-certificates.crt", "Debian's path")
    }

    @Test("query and path text is percent-encoded")
    func encoding() {
        #expect(URLText.encode("web rollout/1") == "web%20rollout%2F1")
        #expect(URLText.query([("consumer", "alice@bastion"), ("claim_key", nil)]) == "?consumer=alice%40bastion")
        #expect(URLText.query([]) == "")
    }
}
