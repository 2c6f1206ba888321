import Foundation
import InventoryModel

/// When a rollout may start new batches: inside its maintenance windows (anywhere when it has
/// none), outside its freezes (a freeze beats a window), and, with `min_window_left_seconds`,
/// not when less than that is left before the allowed time ends. Batches already out are not
/// its business.
///
/// Weekly windows and freezes are wall-clock times in their time zone, from the system's tz
/// database:
/// - a local time that does not exist (spring forward: 02:30 on 2026-03-29 in Europe/Berlin)
///   starts or ends at the next instant that exists (03:00 CEST);
/// - a local time that occurs twice (fall back: 02:30 on 2026-10-25) means its first occurrence
///   (02:30 CEST);
/// - lengths are wall-clock: 22:00–04:00 is 5 hours on a night that loses an hour and 7 on one
///   that gains an hour; an interval entirely inside a gap (02:00–02:30 that Sunday) does not
///   happen.
///
/// Windows that touch or overlap (in any time zones) count as one stretch, and so do freezes:
/// `daily 00:00-24:00` never closes, and `closesAt` is the end of the whole stretch.
///
/// Evaluating `status(at:)` costs a few intervals per window for each week it has to look
/// ahead (absolute freezes are jumped over), no further than its horizon (see
/// `horizonSeconds(from:)`): microseconds when a window opens or closes within days; a
/// calendar that never opens again, or never closes, is scanned to the horizon (about 1 ms
/// for one window over 400 days in a debug build, 100 ms for 100 windows).
struct RolloutCalendar: Sendable {
    let windows: [WeeklyWindow]
    let freezes: [Freeze]
    let minWindowLeftSeconds: Int?

    /// A freeze, checked: weekly or an absolute span, with its words for reasons.
    struct FreezeRule: Sendable {
        enum Kind: Sendable {
            case weekly(WeeklyRule)
            case span(from: Double, until: Double)
        }
        var kind: Kind
        var summary: String
    }

    /// The time zones the weekly rules name, each looked up once.
    let zones: [TimeZone]
    let windowRules: [WeeklyRule]
    /// In the order given, so a reason names the first freeze that applies.
    let freezeRules: [FreezeRule]
    /// The absolute freezes, as seconds since 1970.
    let spans: [(from: Double, until: Double)]
    /// How much time the scan covers at once: a week and a day with weekly rules, all of the
    /// horizon without.
    let chunkSeconds: Double

    /// Looks windows and freezes over: the lists' lengths and syntax (`WireSchedule.problem`),
    /// each time zone in the system's tz database, and `minWindowLeftSeconds`'s range. Errors
    /// name the field: `windows[1].time_zone: no time zone named Europe/Berln in the system's
    /// tz database`.
    init(windows: [WeeklyWindow], freezes: [Freeze], minWindowLeftSeconds: Int? = nil) throws(RolloutCalendarError) {
        if let problem = WireSchedule.problem(windows: windows, freezes: freezes) {
            throw RolloutCalendarError(problem)
        }
        if let m = minWindowLeftSeconds,
            let problem = WireLimits.check("min_window_left_seconds", m, WireLimits.minWindowLeftSeconds)
        {
            throw RolloutCalendarError(problem)
        }
        var zoneNames: [String] = []
        var zones: [TimeZone] = []
        func rule(_ window: WeeklyWindow, at path: String) throws(RolloutCalendarError) -> WeeklyRule {
            var index = zoneNames.firstIndex(of: window.timeZone)
            if index == nil {
                guard let zone = TimeZone(identifier: window.timeZone) else {
                    throw RolloutCalendarError(
                        "\(path).time_zone: no time zone named \(window.timeZone) in the system's tz database")
                }
                zoneNames.append(window.timeZone)
                zones.append(zone)
                index = zones.count - 1
            }
            // WireSchedule.problem has checked the syntax.
            return WeeklyRule(
                days: window.parsedDays, startMinutes: window.startMinutes!, endMinutes: window.endMinutes!,
                zone: index!)
        }
        var windowRules: [WeeklyRule] = []
        for (i, window) in windows.enumerated() {
            let rule = try rule(window, at: "windows[\(i)]")
            // The same window twice adds nothing but work.
            if !windowRules.contains(rule) { windowRules.append(rule) }
        }
        var freezeRules: [FreezeRule] = []
        var spans: [(from: Double, until: Double)] = []
        for (i, freeze) in freezes.enumerated() {
            switch freeze {
            case .weekly(let window):
                freezeRules.append(
                    FreezeRule(kind: .weekly(try rule(window, at: "freezes[\(i)]")), summary: freeze.summary))
            case .span:
                let span = freeze.spanEpochSeconds!
                spans.append(span)
                freezeRules.append(FreezeRule(kind: .span(from: span.from, until: span.until), summary: freeze.summary))
            }
        }
        self.windows = windows
        self.freezes = freezes
        self.minWindowLeftSeconds = minWindowLeftSeconds
        self.zones = zones
        self.windowRules = windowRules
        self.freezeRules = freezeRules
        self.spans = spans
        self.chunkSeconds = zones.isEmpty ? .infinity : 8 * 86_400
    }

    /// No windows and no freezes: batches may start at any time.
    var isUnrestricted: Bool { windows.isEmpty && freezes.isEmpty }

    /// Whether a new batch may start at `now`; when not, why and when it next may.
    func status(at now: Date) -> Status {
        guard !isUnrestricted else { return .open(closesAt: nil) }
        let t = now.timeIntervalSince1970
        var scanner = AllowedRunScanner(self, from: t, horizon: t + horizonSeconds(from: t))
        let first = scanner.nextRun()
        guard let current = first, current.start <= t else {
            let reason = freezeCovering(t).map { "frozen (\($0.summary))" } ?? "outside the maintenance windows"
            return .closed(nextOpening: nextOpening(&scanner, from: first), reason: reason)
        }
        guard let minLeft = minWindowLeftSeconds, let end = current.end, end - t < Double(minLeft) else {
            return .open(closesAt: current.end.map(Date.init(timeIntervalSince1970:)))
        }
        let left = Int((end - t).rounded(.down))
        let place = freezeCovering(end).map { "before the freeze (\($0.summary))" } ?? "in the window"
        return .closed(
            nextOpening: nextOpening(&scanner, from: nil),
            reason: "only \(left) s left \(place), min_window_left_seconds is \(minLeft)")
    }

    /// How far past `t` a scan looks: 15 days past the last absolute freeze (or `t`), which
    /// sees every weekly interval of a single time zone at least once whatever a DST change
    /// does to one day; 400 days with several time zones (their offsets move against each
    /// other with the seasons) or with `min_window_left_seconds` (a window may be long enough
    /// only on the night that gains an hour).
    func horizonSeconds(from t: Double) -> Double {
        let lastSpanEnd = spans.map(\.until).max() ?? t
        let days: Double = zones.count > 1 || minWindowLeftSeconds != nil ? 400 : 15
        return max(lastSpanEnd - t, 0) + days * 86_400
    }

    /// The first run the scan yields, from `first` on, in which a new batch may start (one
    /// long enough for `min_window_left_seconds`), as its start.
    private func nextOpening(_ scanner: inout AllowedRunScanner, from first: AllowedRun?) -> Date? {
        var run = first ?? scanner.nextRun()
        while let candidate = run {
            if let minLeft = minWindowLeftSeconds, let end = candidate.end, end - candidate.start < Double(minLeft) {
                run = scanner.nextRun()
                continue
            }
            return Date(timeIntervalSince1970: candidate.start)
        }
        return nil
    }

    /// The first freeze, in the order given, in effect at `instant`.
    func freezeCovering(_ instant: Double) -> FreezeRule? {
        let moment = (start: instant, end: instant.nextUp)
        return freezeRules.first { rule in
            switch rule.kind {
            case .span(let from, let until):
                return from <= instant && instant < until
            case .weekly(let weekly):
                let offsets = ZoneOffsets(
                    zone: zones[weekly.zone], from: Int(instant) - 3 * 86_400, through: Int(instant) + 3 * 86_400)
                return !weekly.intervals(in: moment, zone: offsets).isEmpty
            }
        }
    }
}
