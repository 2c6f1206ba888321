/// When to try a request again: exponential backoff with jitter, a cap per pause, and a bound
/// on the whole time spent, so that a script in an AWX job never hangs on a dead service.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt.
    public var retries: Int
    /// No retry starts once this many seconds have passed since the first attempt began.
    public var totalSeconds: Double
    /// The first pause; each next one doubles, up to ``maxDelaySeconds``.
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double

    public init(retries: Int, totalSeconds: Double, baseDelaySeconds: Double = 0.5, maxDelaySeconds: Double = 10) {
        self.retries = retries
        self.totalSeconds = totalSeconds
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
    }

    /// The pause before retry number `retry` (from 1), or `nil` when no retry is left or it
    /// would start after the time bound.
    ///
    /// - Parameters:
    ///   - elapsed: seconds since the first attempt began.
    ///   - retryAfter: the service's `Retry-After`, which is honoured (it knows best), but
    ///     never beyond the time bound.
    ///   - random: a number in 0..<1; the pause is drawn from the upper half of the backoff
    ///     step ("equal jitter"), so that many scripts started by one workflow spread out
    ///     without any of them retrying at once.
    public func delay(beforeRetry retry: Int, elapsed: Double, retryAfter: Double?, random: Double) -> Double? {
        guard retry >= 1, retry <= retries else { return nil }
        let step = min(maxDelaySeconds, baseDelaySeconds * Double(1 << min(retry - 1, 30)))
        var pause = step / 2 + step / 2 * min(max(random, 0), 1)
        if let retryAfter { pause = max(pause, retryAfter) }
        guard elapsed + pause <= totalSeconds else { return nil }
        return pause
    }
}

/// Time for retries and waits; the real one sleeps, tests use one that only counts.
public protocol ScriptClock {
    /// Seconds on a monotonic clock.
    func now() -> Double
    func sleep(_ seconds: Double)
    /// A random number in 0..<1 for jitter.
    func random() -> Double
}

public struct SystemClock: ScriptClock {
    public init() {}
    public func now() -> Double { SystemIO.monotonicSeconds() }
    public func sleep(_ seconds: Double) { SystemIO.sleep(seconds: seconds) }
    public func random() -> Double { Double.random(in: 0..<1) }
}
