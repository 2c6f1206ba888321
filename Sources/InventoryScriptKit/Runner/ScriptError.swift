/// Why inventory-script could not print an inventory: one line for stderr (what failed, where,
/// what to do) and the exit status that goes with it.
///
/// Ansible shows a failed script's stderr in its own error ("Inventory script … had an
/// execution error: …"), and AWX shows that in the inventory update's output, so the message is
/// all a user gets: it names the service address and the cursor, never the token.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, which decides the exit status and whether waiting can help.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Bad command line or configuration.
        case usage
        /// The service could not be reached: refused, name not resolved, connection dropped.
        case unreachable
        /// The service did not answer within the timeout.
        case timeout
        /// TLS failed: unknown CA, wrong host name, not TLS on the other side.
        case tls
        /// 401: no token, a wrong or revoked one.
        case unauthorized
        /// 403: the token lacks the scope.
        case forbidden
        /// 404: the cursor (or pool, or revision) does not exist.
        case notFound
        /// The cursor is paused: waiting (`--wait`) or a resume helps.
        case cursorPaused
        /// The cursor is halted or aborted.
        case cursorStopped
        /// No batch may start now (every batch is out, a bake time, a gate, outside a maintenance
        /// window): waiting (`--wait`) helps.
        case noBatchFree
        /// Any other error answer of the service, 5xx after retries included.
        case service
        /// An answer that is not what the API promises (not JSON, wrong shape).
        case badAnswer
        /// The inventory could not be written to stdout.
        case output
    }

    public var kind: Kind
    /// The whole line, without the program name.
    public var message: String
    /// Seconds after which the service said asking again may succeed.
    public var retryAfterSeconds: Double?

    public init(_ kind: Kind, _ message: String, retryAfterSeconds: Double? = nil) {
        self.kind = kind
        self.message = ScriptError.oneLine(message)
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The exit status: 2 for usage, 3 network and TLS, 4 authentication, 5 missing cursor or
    /// pool, 6 a rollout that is not handing out batches now, 1 for the rest.
    public var exitStatus: Int32 {
        switch kind {
        case .usage: return 2
        case .unreachable, .timeout, .tls: return 3
        case .unauthorized, .forbidden: return 4
        case .notFound: return 5
        case .cursorPaused, .cursorStopped, .noBatchFree: return 6
        case .service, .badAnswer, .output: return 1
        }
    }

    /// Whether `--wait` keeps asking after this error.
    public var isWorthWaiting: Bool { kind == .cursorPaused || kind == .noBatchFree }

    public var description: String { "inventory-script: \(message)" }

    /// Service messages and curl's may hold line breaks or be long (a proxy's HTML page): the
    /// line stays one line and readable.
    static func oneLine(_ text: String, limit: Int = 600) -> String {
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit))
        var lastWasSpace = false
        for ch in text {
            let isSpace = ch.isWhitespace || ch.isNewline
            if isSpace {
                if !lastWasSpace && !out.isEmpty { out.append(" ") }
                lastWasSpace = true
            } else if ch.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
                out.append(ch)
                lastWasSpace = false
            }
            if out.count >= limit {
                out += "…"
                break
            }
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}
