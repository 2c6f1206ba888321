import Foundation
import InventoryModel

/// Instants as seconds since 1970 (UTC); an interval is half-open, `start..<end`.
typealias Interval = (start: Double, end: Double)

/// A weekly window or weekly freeze, checked and with its time zone looked up.
struct WeeklyRule: Sendable, Hashable {
    /// ISO days (1 = Monday … 7 = Sunday) the intervals start on.
    var days: Set<Int>
    /// Local start and end in minutes since midnight; an end at or before the start is on the next day.
    var startMinutes: Int
    var endMinutes: Int
    /// Index into the calendar's zones.
    var zone: Int

    /// The intervals of this rule that meet `range`, clipped to it. Each local day's interval
    /// runs from its start to its end as wall-clock times, each resolved on its own
    /// (`ZoneOffsets.instant(local:)`), so a night that loses an hour is an hour shorter; an
    /// interval that falls entirely into a spring-forward gap does not happen that day.
    func intervals(in range: Interval, zone offsets: ZoneOffsets) -> [Interval] {
        let offsetRange = offsets.offsetRange
        // An interval starts on its local day and ends by the next local midnight: days from
        // two before the range's first local day cover every interval that can reach into it.
        let firstDay = Self.localDay(Int(range.start.rounded(.down)) + offsetRange.lowerBound) - 2
        let lastDay = Self.localDay(Int(range.end.rounded(.up)) + offsetRange.upperBound)
        let endDayShift = endMinutes > startMinutes ? 0 : 1
        var result: [Interval] = []
        for day in firstDay...lastDay where days.contains(Self.isoWeekday(ofLocalDay: day)) {
            let start = Double(offsets.instant(local: day * 86_400 + startMinutes * 60))
            let end = Double(offsets.instant(local: (day + endDayShift) * 86_400 + endMinutes * 60))
            guard start < end, end > range.start, start < range.end else { continue }
            result.append((max(start, range.start), min(end, range.end)))
        }
        return result
    }

    /// Days since local 1970-01-01 of local seconds since then.
    static func localDay(_ localSeconds: Int) -> Int {
        localSeconds >= 0 ? localSeconds / 86_400 : -((-localSeconds + 86_399) / 86_400)
    }

    /// 1 = Monday … 7 = Sunday; local day 0, 1970-01-01, was a Thursday.
    static func isoWeekday(ofLocalDay day: Int) -> Int {
        ((day % 7 + 7) % 7 + 3) % 7 + 1
    }
}

extension RolloutCalendar {
    /// The allowed intervals within `range`, sorted and disjoint: inside a window (anywhere
    /// when there are none) and outside every freeze.
    func allowedPieces(in range: Interval) -> [Interval] {
        let zoneOffsets = zones.map {
            ZoneOffsets(
                zone: $0, from: Int(range.start.rounded(.down)) - 3 * 86_400,
                through: Int(range.end.rounded(.up)) + 3 * 86_400)
        }
        let open =
            windowRules.isEmpty
            ? [range]
            : mergedIntervals(windowRules.flatMap { $0.intervals(in: range, zone: zoneOffsets[$0.zone]) })
        guard !freezeRules.isEmpty else { return open }
        let frozen = freezeRules.flatMap { rule -> [Interval] in
            switch rule.kind {
            case .weekly(let weekly):
                return weekly.intervals(in: range, zone: zoneOffsets[weekly.zone])
            case .span(let from, let until):
                return until > range.start && from < range.end ? [(max(from, range.start), min(until, range.end))] : []
            }
        }
        return subtractIntervals(open, mergedIntervals(frozen))
    }

    /// The end of the absolute freezes around `instant`, chained where they touch or overlap,
    /// or nil when none covers it.
    func spanEnd(covering instant: Double) -> Double? {
        var end: Double?
        var at = instant
        while let covering = spans.filter({ $0.from <= at && at < $0.until }).map(\.until).max() {
            end = covering
            at = covering
        }
        return end
    }
}

/// Sorted, disjoint intervals: overlapping and touching ones joined.
private func mergedIntervals(_ intervals: [Interval]) -> [Interval] {
    var result: [Interval] = []
    for interval in intervals.sorted(by: { $0.start < $1.start }) {
        if let last = result.last, interval.start <= last.end {
            result[result.count - 1].end = max(last.end, interval.end)
        } else {
            result.append(interval)
        }
    }
    return result
}

/// `minuend` without `subtrahend`, both sorted and disjoint.
private func subtractIntervals(_ minuend: [Interval], _ subtrahend: [Interval]) -> [Interval] {
    var result: [Interval] = []
    var j = 0
    for interval in minuend {
        var start = interval.start
        while j < subtrahend.count, subtrahend[j].end <= start { j += 1 }
        var k = j
        while k < subtrahend.count, subtrahend[k].start < interval.end {
            if subtrahend[k].start > start { result.append((start, subtrahend[k].start)) }
            start = max(start, subtrahend[k].end)
            k += 1
        }
        if start < interval.end { result.append((start, interval.end)) }
    }
    return result
}

/// One stretch of time in which new batches are allowed (inside a window, outside every
/// freeze), as a calendar's scan finds them in order.
struct AllowedRun: Equatable {
    var start: Double
    /// nil when the run reaches the end of the scan's horizon.
    var end: Double?
}

/// Walks the allowed runs of a calendar from an instant on, a chunk of days at a time (a few
/// dozen intervals per chunk), jumping over absolute freezes, until a horizon.
struct AllowedRunScanner {
    let calendar: RolloutCalendar
    let horizon: Double
    private var cursor: Double
    private var pieces: [Interval] = []
    private var next = 0
    private var peeked: Interval?

    init(_ calendar: RolloutCalendar, from start: Double, horizon: Double) {
        self.calendar = calendar
        self.cursor = start
        self.horizon = horizon
    }

    /// The next run; runs touching across chunk ends are joined. The first one starts at the
    /// scan's start exactly when that instant is allowed.
    mutating func nextRun() -> AllowedRun? {
        guard var run = peeked ?? nextPiece() else { return nil }
        peeked = nil
        while let piece = nextPiece() {
            guard piece.start <= run.end else {
                peeked = piece
                break
            }
            run.end = max(run.end, piece.end)
        }
        return AllowedRun(start: run.start, end: run.end >= horizon ? nil : run.end)
    }

    private mutating func nextPiece() -> Interval? {
        while next == pieces.count {
            guard cursor < horizon else { return nil }
            if let end = calendar.spanEnd(covering: cursor) {
                cursor = min(end, horizon)
                continue
            }
            let chunkEnd = min(cursor + calendar.chunkSeconds, horizon)
            pieces = calendar.allowedPieces(in: (cursor, chunkEnd))
            next = 0
            cursor = chunkEnd
        }
        defer { next += 1 }
        return pieces[next]
    }
}
