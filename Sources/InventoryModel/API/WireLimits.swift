/// The range of every number the API takes, in one place: the service refuses a value outside
/// it with 422 naming the field, and the OpenAPI document states the same bounds.
public enum WireLimits {
    /// A lease of at most a week; a longer run extends its lease with heartbeats.
    public static let leaseSeconds = 1...604_800
    public static let maxInFlight = 1...10_000
    /// One item of `batch_size` as a number of hosts (the largest pool the service plans).
    public static let batchSizeHosts = 1...10_000_000
    /// One item of `batch_size` as a percentage of the cursor's hosts.
    public static let batchSizePercent = 1...100
    /// How many items a `batch_size` ramp or a `pause_after` list may have.
    public static let listItems = 1...1_000
    public static let maxFailedHosts = 0...10_000_000
    /// A bake time of at most a week, as a lease.
    public static let bakeSeconds = 0...604_800
    /// How many tier patterns a cursor may have.
    public static let tiers = 0...100
    /// Batch numbers, as in `pause_after` and in paths.
    public static let batchNumber = 1...Int(Int32.max)
    /// A reason given with a release, in characters.
    public static let reasonLength = 1...500
    /// Pool revisions, as in paths.
    public static let revision = 1...Int(Int32.max)
    /// One counter of a host summary (tasks of a play on one host).
    public static let summaryCounter = 0...Int(Int32.max)
    /// Consumer names and claim keys, in characters.
    public static let identityLength = 1...256
    /// An attempt's external reference (a URL of an AWX job), in characters.
    public static let externalRefLength = 1...2_048
    /// How many health gates a cursor may have (each is checked before every new batch).
    public static let gatesPerCursor = 0...16
    /// A gate's name, in characters; the halt reason names it.
    public static let gateNameLength = 1...64
    /// A gate's URL, in characters.
    public static let gateURLLength = 1...2_048
    /// A prometheus gate's PromQL query, in characters.
    public static let gateQueryLength = 1...4_096
    /// An http gate's `json_field` dot path, in characters.
    public static let gateJSONFieldLength = 1...256
    /// How often a failing gate is checked again: at least a second, at most an hour.
    public static let gateIntervalSeconds = 1...3_600
    /// How long a gate may keep failing before the cursor halts: at most a day.
    public static let gateTimeoutSeconds = 1...86_400
    /// How many maintenance windows a cursor may have.
    public static let windows = 0...100
    /// How many freezes (weekly or absolute) a cursor may have.
    public static let freezes = 0...100
    /// `min_window_left_seconds`: no new batch when less than this is left before the window
    /// closes (a week at most: runs of windows that touch count as one).
    public static let minWindowLeftSeconds = 1...604_800
    /// A window's or weekly freeze's `time_zone` name, in characters.
    public static let timeZoneLength = 1...64

    /// The words of a refusal: `lease_seconds must be in 1...604800, got 140737488355327`.
    public static func outOfRange(_ field: String, _ value: some BinaryInteger, _ range: ClosedRange<Int>) -> String {
        "\(field) \(mustBeIn(range, got: value))"
    }

    /// `must be in 1...604800, got 0`, for a message that names the field before it.
    public static func mustBeIn(_ range: ClosedRange<Int>, got value: some BinaryInteger) -> String {
        "must be in \(range.lowerBound)...\(range.upperBound), got \(value)"
    }

    /// The refusal of `value` for `field`, or nil when it is in `range`.
    public static func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) -> String? {
        range.contains(value) ? nil : outOfRange(field, value, range)
    }

    /// The refusal of a string whose length is outside `range`, or nil.
    public static func check(_ field: String, text: String, _ range: ClosedRange<Int>) -> String? {
        guard let problem = lengthProblem(text, range) else { return nil }
        return "\(field) \(problem)"
    }

    /// `must have 1 to 256 characters, got 300`, or nil when the length is in `range`.
    public static func lengthProblem(_ text: String, _ range: ClosedRange<Int>) -> String? {
        let count = text.count
        guard !range.contains(count) else { return nil }
        return "must have \(range.lowerBound) to \(range.upperBound) characters, got \(count)"
    }
}
