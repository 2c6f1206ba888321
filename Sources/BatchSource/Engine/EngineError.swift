import InventoryModel

/// Why the engine refused a request: a stable code, an HTTP status and words for people.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code (`cursor_paused`, `not_found`, …).
    public var code: String
    /// The HTTP status that carries it.
    public var status: Int
    /// What went wrong and what to do.
    public var message: String
    /// Seconds after which asking again may succeed.
    public var retryAfterSeconds: Int?
    /// Facts for programs beside the message (the error body's `details`).
    public var details: JSONObject?

    public init(code: String, status: Int, message: String, retryAfterSeconds: Int? = nil, details: JSONObject? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.details = details
    }

    public var description: String { "\(code): \(message)" }

    public static func badRequest(_ message: String) -> EngineError {
        EngineError(code: "bad_request", status: 400, message: message)
    }

    public static func invalid(_ message: String) -> EngineError {
        EngineError(code: "invalid_request", status: 422, message: message)
    }

    public static func invalidInventory(_ error: InventoryError) -> EngineError {
        EngineError(code: "invalid_inventory", status: 422, message: "\(error)")
    }

    public static func notFound(_ kind: String, _ name: String) -> EngineError {
        EngineError(code: "not_found", status: 404, message: "no \(kind) named \(name)")
    }

    public static func conflict(_ code: String, _ message: String) -> EngineError {
        EngineError(code: code, status: 409, message: message)
    }

    /// A claim on a cursor that is paused, halted or aborted: the state and why.
    public static func notActive(_ cursor: String, _ state: CursorState, reason: String?) -> EngineError {
        let why = reason.map { ": \($0)" } ?? ""
        let hint: String
        switch state {
        case .paused: hint = "; resume it with `batch-source cursor resume \(cursor)`"
        case .halted: hint = "; look at the failed hosts, then resume or abort it"
        default: hint = ""
        }
        return EngineError(
            code: "cursor_\(state.rawValue)", status: 409, message: "cursor \(cursor) is \(state.rawValue)\(why)\(hint)"
        )
    }

    /// Every batch the cursor may have out is out: ask again later.
    public static func noBatchFree(_ cursor: String, inFlight: Int, retryAfter: Int) -> EngineError {
        EngineError(
            code: "no_batch_free", status: 409,
            message:
                "cursor \(cursor) has \(inFlight) batch(es) out, its max_in_flight; ask again in \(retryAfter) s or "
                + "complete a batch",
            retryAfterSeconds: retryAfter, details: ["waiting_for": "max_in_flight"])
    }
}
