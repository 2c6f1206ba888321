/// What a host's run in a batch came to, as Ansible's play recap counts it.
public enum HostStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case ok, changed, failed, unreachable, skipped

    /// Whether the host counts against `max_fail_percentage` and `max_failed_hosts`, and is
    /// taken up again by a retry cursor.
    public var isFailure: Bool { self == .failed || self == .unreachable }
}

/// How a consumer's batch is completed.
public enum AckMode: String, Codable, Sendable, CaseIterable, Hashable {
    /// The consumer reports results (complete) before it gets another batch.
    case explicit
    /// A consumer's next claim completes its previous batch as ok (the seed API's behaviour).
    case auto
}

/// Where a rollout stands.
public enum CursorState: String, Codable, Sendable, CaseIterable, Hashable {
    /// Batches are handed out.
    case active
    /// An operator or `pause_after` stopped handing out batches; resume to go on.
    case paused
    /// A failure threshold tripped; resume (after fixing) or abort.
    case halted
    /// Stopped for good by an operator.
    case aborted
    /// Every host is in a completed batch.
    case done

    /// Whether the rollout can still hand out batches, now or after a resume.
    public var isFinished: Bool { self == .aborted || self == .done }
}

/// Where a batch (its latest attempt) stands.
public enum BatchState: String, Codable, Sendable, CaseIterable, Hashable {
    /// Held by a consumer under a lease.
    case leased
    /// Results are in; the batch is final.
    case completed
    /// Given back unfinished, or its lease expired: the next claim takes it up again.
    case available
}
