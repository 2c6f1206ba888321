/// A weekly maintenance window (or weekly freeze): on the given days, from `start` to `end`
/// local time in `timeZone`. JSON: `{"days": "sat-sun", "start": "22:00", "end": "04:00",
/// "time_zone": "Europe/Berlin"}`, `time_zone` defaulting to `UTC`.
///
/// An `end` at or before `start` crosses midnight: `sat-sun 22:00-04:00` is open Saturday
/// 22:00 to Sunday 04:00 and Sunday 22:00 to Monday 04:00; `start == end` is 24 hours. The
/// days name the day each interval starts on. Whether the time zone exists is checked by the
/// service against its tz database, not here.
public struct WeeklyWindow: Codable, Sendable, Hashable {
    /// Comma-separated days (`mon` … `sun`), ranges (`mon-fri`, wrapping: `fri-mon`) or `daily`.
    public var days: String
    /// `HH:MM`, 24-hour, 00:00 to 23:59.
    public var start: String
    /// `HH:MM`, 24-hour, 00:00 to 24:00; at or before `start` it is on the next day.
    public var end: String
    /// An IANA time zone name such as `Europe/Berlin`.
    public var timeZone: String

    public static let defaultTimeZone = "UTC"

    public init(days: String, start: String, end: String, timeZone: String = WeeklyWindow.defaultTimeZone) {
        self.days = days
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case days, start, end
        case timeZone = "time_zone"
    }

    /// The JSON fields of a window.
    public static let fieldNames = CodingKeys.allCases.map(\.rawValue)

    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownFields(Self.fieldNames)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        days = try c.decode(String.self, forKey: .days)
        start = try c.decode(String.self, forKey: .start)
        end = try c.decode(String.self, forKey: .end)
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? Self.defaultTimeZone
    }

    /// The ISO day numbers the intervals start on (1 = Monday … 7 = Sunday); empty when
    /// `days` is not valid (see `problem`).
    public var parsedDays: Set<Int> { (try? ScheduleSyntax.days(days)) ?? [] }

    /// `start` in minutes since midnight (0...1439), or nil when it is not valid.
    public var startMinutes: Int? { try? ScheduleSyntax.minutes(start, allowingEndOfDay: false) }

    /// `end` in minutes since midnight (0...1440), or nil when it is not valid.
    public var endMinutes: Int? { try? ScheduleSyntax.minutes(end, allowingEndOfDay: true) }

    /// The wall-clock length of each interval in minutes (1...1440), or nil when a time is not valid.
    public var lengthMinutes: Int? {
        guard let s = startMinutes, let e = endMinutes else { return nil }
        return e > s ? e - s : e + 1440 - s
    }

    /// The window in words, as reasons show it: `sat-sun 00:00-24:00 Europe/Berlin`.
    public var summary: String { "\(days) \(start)-\(end) \(timeZone)" }

    /// What is wrong with the window's syntax, or nil; fields are named bare (`days: …`).
    public var problem: String? { problem(at: "") }

    /// What is wrong with the window's syntax, or nil, naming fields below `path`:
    /// `problem(at: "windows[0]")` gives `windows[0].days: "sat-sno" is not a day; …`.
    public func problem(at path: String) -> String? {
        do throws(ScheduleSyntax.Problem) {
            _ = try ScheduleSyntax.days(days)
        } catch {
            return "\(WireSchedule.field(path, "days")): \(error.message)"
        }
        do throws(ScheduleSyntax.Problem) {
            _ = try ScheduleSyntax.minutes(start, allowingEndOfDay: false)
        } catch {
            return "\(WireSchedule.field(path, "start")): \(error.message)"
        }
        do throws(ScheduleSyntax.Problem) {
            _ = try ScheduleSyntax.minutes(end, allowingEndOfDay: true)
        } catch {
            return "\(WireSchedule.field(path, "end")): \(error.message)"
        }
        if let p = WireLimits.check(WireSchedule.field(path, "time_zone"), text: timeZone, WireLimits.timeZoneLength) {
            return p
        }
        return nil
    }
}

/// A time when no new batch starts, even inside a window: either weekly (the same object as a
/// `WeeklyWindow`) or an absolute span, `{"from": "2026-12-24T00:00:00Z", "until":
/// "2026-12-27T00:00:00+01:00"}` (RFC 3339, `until` exclusive). An object mixing the two
/// forms, or with any other field, is refused when decoding.
public enum Freeze: Codable, Sendable, Hashable {
    case weekly(WeeklyWindow)
    /// From `from` (inclusive) until `until` (exclusive), RFC 3339 strings as given.
    case span(from: String, until: String)

    /// The JSON fields of the span form.
    public static let spanFieldNames = ["from", "until"]

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        let isSpan = keys.contains(where: Self.spanFieldNames.contains)
        if isSpan, keys.contains(where: WeeklyWindow.fieldNames.contains) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "a freeze is either weekly (days, start, end, time_zone) or a span (from, until), not both"))
        }
        guard isSpan else {
            self = .weekly(try WeeklyWindow(from: decoder))
            return
        }
        try decoder.refuseUnknownFields(Self.spanFieldNames)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        self = .span(
            from: try c.decode(String.self, forKey: AnyCodingKey("from")),
            until: try c.decode(String.self, forKey: AnyCodingKey("until")))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .weekly(let window):
            try window.encode(to: encoder)
        case .span(let from, let until):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encode(from, forKey: AnyCodingKey("from"))
            try c.encode(until, forKey: AnyCodingKey("until"))
        }
    }

    /// A span's bounds in seconds since 1970 (UTC), or nil for a weekly freeze or a span whose
    /// times are not valid RFC 3339.
    public var spanEpochSeconds: (from: Double, until: Double)? {
        guard case .span(let from, let until) = self,
            let f = ScheduleSyntax.epochSeconds(rfc3339: from), let u = ScheduleSyntax.epochSeconds(rfc3339: until)
        else { return nil }
        return (f, u)
    }

    /// The freeze in words, as reasons show it: `2026-12-24T00:00:00Z until 2026-12-27T00:00:00Z`
    /// or `sat-sun 00:00-24:00 Europe/Berlin`.
    public var summary: String {
        switch self {
        case .weekly(let window): return window.summary
        case .span(let from, let until): return "\(from) until \(until)"
        }
    }

    /// What is wrong with the freeze, or nil; fields are named bare (`from: …`).
    public var problem: String? { problem(at: "") }

    /// What is wrong with the freeze, or nil, naming fields below `path`
    /// (`freezes[1].until: …`).
    public func problem(at path: String) -> String? {
        switch self {
        case .weekly(let window):
            return window.problem(at: path)
        case .span(let from, let until):
            let example = "such as 2026-12-24T00:00:00Z or 2026-12-24T00:00:00+01:00"
            guard let f = ScheduleSyntax.epochSeconds(rfc3339: from) else {
                return "\(WireSchedule.field(path, "from")): \"\(from)\" is not an RFC 3339 time \(example)"
            }
            guard let u = ScheduleSyntax.epochSeconds(rfc3339: until) else {
                return "\(WireSchedule.field(path, "until")): \"\(until)\" is not an RFC 3339 time \(example)"
            }
            guard f < u else {
                return "\(WireSchedule.field(path, "until")): \(until) is not after from (\(from))"
            }
            return nil
        }
    }
}

/// Checks of a cursor's `windows` and `freezes` lists as a whole.
public enum WireSchedule {
    /// What is wrong with the lists, or nil: their lengths (`WireLimits.windows`,
    /// `WireLimits.freezes`), then each item's syntax named by its place
    /// (`windows[2].start: …`, `freezes[0].from: …`).
    public static func problem(windows: [WeeklyWindow], freezes: [Freeze]) -> String? {
        if windows.count > WireLimits.windows.upperBound {
            return "windows may hold at most \(WireLimits.windows.upperBound) windows, got \(windows.count)"
        }
        if freezes.count > WireLimits.freezes.upperBound {
            return "freezes may hold at most \(WireLimits.freezes.upperBound) freezes, got \(freezes.count)"
        }
        for (i, window) in windows.enumerated() {
            if let p = window.problem(at: "windows[\(i)]") { return p }
        }
        for (i, freeze) in freezes.enumerated() {
            if let p = freeze.problem(at: "freezes[\(i)]") { return p }
        }
        return nil
    }

    /// `windows[0].days`, or `days` below an empty path.
    static func field(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }
}
