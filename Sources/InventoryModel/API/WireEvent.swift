/// What happened to a cursor, as its audit trail records it.
public enum CursorEventKind: String, Codable, Sendable, CaseIterable {
    /// The cursor was made (or made as a retry of another).
    case created
    /// Settings changed by a merge patch; `details` holds the new values.
    case patched
    /// A new batch was leased.
    case claimed
    /// A batch whose lease ran out, or that was given back, was leased again.
    case redelivered
    /// A batch completed; `details` holds its counts per result.
    case completed
    /// A batch was given back unfinished.
    case released
    /// A lease ran out before its batch completed (found when the batch was taken up again).
    case expired
    case paused
    case resumed
    case aborted
    /// A failure threshold or a gate stopped the rollout; `details` holds the evidence.
    case halted
    case gatePassed = "gate_passed"
    case gateFailed = "gate_failed"
    /// New batches wait: for a maintenance window, a bake time, a gate or the tier before.
    case waiting
    /// Every host is in a completed batch.
    case done
}

/// One entry of a cursor's audit trail (`GET /api/v1/cursors/NAME/events`), written in the
/// same transaction as the change it records.
public struct CursorEvent: Codable, Sendable, Hashable {
    /// The event's number, counting from 1 within its cursor.
    public var seq: Int
    /// When it happened (RFC 3339, UTC).
    public var at: String
    public var kind: CursorEventKind
    /// The token that made the change, when a request made it.
    public var actor: String?
    /// The batch it concerns, if any.
    public var batch: Int?
    /// Why, in words for people: an operator's reason, a threshold, a gate's evidence.
    public var reason: String?
    /// The facts of the change (counts, the consumer, changed settings).
    public var details: JSONObject?

    public init(
        seq: Int, at: String, kind: CursorEventKind, actor: String? = nil, batch: Int? = nil, reason: String? = nil,
        details: JSONObject? = nil
    ) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.actor = actor
        self.batch = batch
        self.reason = reason
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, kind, actor, batch, reason, details
    }

    // `details` as a JSON object (an OrderedDictionary alone would encode as a flat array).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(Int.self, forKey: .seq)
        at = try c.decode(String.self, forKey: .at)
        kind = try c.decode(CursorEventKind.self, forKey: .kind)
        actor = try c.decodeIfPresent(String.self, forKey: .actor)
        batch = try c.decodeIfPresent(Int.self, forKey: .batch)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        details = try c.decodeIfPresent(JSONValue.self, forKey: .details)?.objectValue
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(at, forKey: .at)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(actor, forKey: .actor)
        try c.encodeIfPresent(batch, forKey: .batch)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(details.map(JSONValue.object), forKey: .details)
    }
}
