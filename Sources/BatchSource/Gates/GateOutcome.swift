/// What one check of a gate found: healthy or not, and the evidence a person needs to see
/// why (`HTTP 503; body: {"status":"degraded"}`, `2 series: {job="node"} 0; …`,
/// `connection refused`). The evidence goes into the cursor's halt reason, so it is one line,
/// at most ``evidenceLimit`` characters, and never holds URL user info or request headers.
struct GateOutcome: Sendable, Hashable, Codable {
    var healthy: Bool
    var evidence: String

    /// The most characters of evidence kept.
    static let evidenceLimit = 2_000
    /// The most characters of a response body quoted in evidence.
    static let bodyExcerptLimit = 500

    init(healthy: Bool, evidence: String) {
        self.healthy = healthy
        self.evidence = Self.oneLine(evidence, limit: Self.evidenceLimit)
    }

    static func healthy(_ evidence: String) -> GateOutcome { GateOutcome(healthy: true, evidence: evidence) }
    static func unhealthy(_ evidence: String) -> GateOutcome { GateOutcome(healthy: false, evidence: evidence) }

    /// A response body for evidence: decoded leniently (a body need not be UTF-8), on one
    /// line, at most ``bodyExcerptLimit`` characters, marked when cut; `empty` when empty.
    static func bodyExcerpt(_ bytes: some Collection<UInt8>, truncated: Bool = false) -> String {
        if bytes.isEmpty { return "(empty)" }
        // Decode a little more than we show, so a multi-byte character is not cut in half
        // and white space that collapses still leaves enough to show.
        let decoded = bodyExcerptLimit * 4
        let line = oneLine(String(decoding: bytes.prefix(decoded), as: UTF8.self), limit: bodyExcerptLimit)
        let unseen = truncated || bytes.count > decoded
        return unseen && !line.hasSuffix("...") ? line + "..." : line
    }

    /// `text` on one line: control characters and runs of white space become one space,
    /// and text beyond `limit` characters is cut, ending in `...`.
    static func oneLine(_ text: String, limit: Int) -> String {
        var out = ""
        var lastWasSpace = false
        var count = 0
        for c in text {
            let space = c.isWhitespace || c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            if space {
                if lastWasSpace || out.isEmpty { continue }
                lastWasSpace = true
                out.append(" ")
            } else {
                lastWasSpace = false
                out.append(c)
            }
            count += 1
            if count > limit {
                return String(out.prefix(limit - 3)) + "..."
            }
        }
        return lastWasSpace ? String(out.dropLast()) : out
    }
}
