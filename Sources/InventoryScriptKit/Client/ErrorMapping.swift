/// Turns what went wrong on the wire into the one line a user reads: what failed, where, why,
/// and what to do about it. The service's own message (which names the cursor, its state and
/// why) is kept whole; the token never appears.
enum ErrorMapping {
    static func service(_ answer: ServiceAnswer, doing: String, at service: ServiceURL, request: HTTPRequest)
        -> ScriptError
    {
        let said =
            answer.message.map { ": \($0)" } ?? answer.rawStart.map { " (not the API's error body; it starts: \($0))" }
            ?? ""
        let status = "\(answer.status)\(answer.code.map { " \($0)" } ?? "")"
        let base = "\(doing) at \(service) failed with \(status)\(said)"
        let waitHint = "; or let inventory-script wait: --wait SECONDS (BATCH_SOURCE_WAIT)"

        switch (answer.status, answer.code) {
        case (401, _):
            return ScriptError(
                .unauthorized,
                "\(base); check the token (BATCH_SOURCE_TOKEN, the AWX credential's token): it is missing, wrong, "
                    + "expired or revoked"
            )
        case (403, _):
            return ScriptError(
                .forbidden,
                "\(base); the token lacks the scope: inventory-script needs a token with the claim scope (read is "
                    + "enough for --host)"
            )
        case (404, "not_found"?):
            return ScriptError(
                .notFound, "\(base); check the cursor name (BATCH_SOURCE_CURSOR) against `batch-source cursor list`")
        case (404, _):
            return ScriptError(
                .notFound,
                "\(base) for \(request.summary); is BATCH_SOURCE_URL the batch-source service's base address?")
        case (409, "cursor_paused"?):
            return ScriptError(.cursorPaused, "\(base)\(waitHint)", retryAfterSeconds: answer.retryAfterSeconds)
        case (409, "cursor_halted"?), (409, "cursor_aborted"?):
            return ScriptError(.cursorStopped, base)
        // Outside a maintenance window, as while baking or waiting for a gate: waiting helps.
        case (409, "no_batch_free"?), (409, "outside_window"?):
            return ScriptError(.noBatchFree, "\(base)\(waitHint)", retryAfterSeconds: answer.retryAfterSeconds)
        case (300...399, _):
            return ScriptError(
                .service,
                "\(base); the address redirects elsewhere: set BATCH_SOURCE_URL to the service itself (https:// if "
                    + "it only speaks TLS)"
            )
        case (500...599, _):
            return ScriptError(
                .service, "\(base); the service or a proxy in front of it is failing: see the service's log",
                retryAfterSeconds: answer.retryAfterSeconds)
        default:
            return ScriptError(.service, base, retryAfterSeconds: answer.retryAfterSeconds)
        }
    }

    static func transport(_ failure: TransportFailure, doing: String, at service: ServiceURL, request: HTTPRequest)
        -> ScriptError
    {
        let base = "\(doing): \(request.summary) at \(service)"
        switch failure.kind {
        case .connect:
            return ScriptError(
                .unreachable,
                "\(base) failed: cannot reach the service (\(failure.detail)); check BATCH_SOURCE_URL and that "
                    + "batch-source is running and reachable from here"
            )
        case .timeout:
            return ScriptError(
                .timeout,
                "\(base) timed out (\(failure.detail)); the service is slow or unreachable: check it, or raise "
                    + "BATCH_SOURCE_TIMEOUT"
            )
        case .tls:
            return ScriptError(
                .tls,
                "\(base) failed: TLS error (\(failure.detail)); if the service's certificate is signed by a private "
                    + "CA, set BATCH_SOURCE_CA_FILE to that CA's PEM file; check that the host name matches the "
                    + "certificate"
            )
        case .setup:
            return ScriptError(.usage, "\(base) cannot be sent: \(failure.detail); check BATCH_SOURCE_URL")
        case .tooLarge:
            return ScriptError(.badAnswer, "\(base) failed: \(failure.detail)")
        case .other:
            return ScriptError(.service, "\(base) failed: \(failure.detail)")
        }
    }
}
