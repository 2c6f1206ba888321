import Foundation

/// A time zone's UTC offsets over a stretch of time, read once from the system's tz database,
/// so that local wall times become instants by arithmetic (a rollout calendar turns hundreds of
/// them into instants on every claim).
///
/// Local times that do not exist (the gap when clocks spring forward: 02:30 on 2026-03-29 in
/// Europe/Berlin) become the next instant that exists, the transition itself (03:00 CEST,
/// 01:00Z). Local times that occur twice (when clocks fall back: 02:30 on 2026-10-25) become
/// the first occurrence (02:30 CEST, 00:30Z).
struct ZoneOffsets: Sendable {
    /// `starts[i]` is the first second (since 1970, UTC) of segment i; `offsets[i]` its offset
    /// east of UTC in seconds. The first segment reaches back without limit, the last forward.
    private var starts: [Int]
    private var offsets: [Int]

    /// The offsets of `zone` between the instants `from` and `through` (seconds since 1970);
    /// outside that stretch the nearest segment's offset is assumed.
    init(zone: TimeZone, from: Int, through: Int) {
        var cursor = Date(timeIntervalSince1970: Double(from))
        starts = [Int.min]
        offsets = [zone.secondsFromGMT(for: cursor)]
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next > cursor,
            next.timeIntervalSince1970 <= Double(through)
        {
            let offset = zone.secondsFromGMT(for: next)
            if offset != offsets.last {
                starts.append(Int(next.timeIntervalSince1970.rounded(.down)))
                offsets.append(offset)
            }
            cursor = next
        }
    }

    /// The smallest and largest offset in the stretch.
    var offsetRange: ClosedRange<Int> { offsets.min()!...offsets.max()! }

    /// The offset in effect at `instant` (seconds since 1970).
    func offset(at instant: Int) -> Int {
        var i = offsets.count - 1
        while i > 0, starts[i] > instant { i -= 1 }
        return offsets[i]
    }

    /// The instant (seconds since 1970) of a local wall time given as seconds since local
    /// 1970-01-01 00:00: the first occurrence of an ambiguous time, the end of the gap for a
    /// time that does not exist.
    func instant(local: Int) -> Int {
        for i in offsets.indices {
            let candidate = local - offsets[i]
            // Before this segment and in none before it: `local` is in the gap that ends here.
            if candidate < starts[i] { return starts[i] }
            if i + 1 == offsets.count || candidate < starts[i + 1] { return candidate }
        }
        return local - offsets[offsets.count - 1]
    }
}
