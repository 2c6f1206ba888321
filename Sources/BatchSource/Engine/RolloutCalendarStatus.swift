import Foundation

extension RolloutCalendar {
    /// Whether a new batch may start at a moment.
    enum Status: Sendable, Hashable {
        /// Yes. `closesAt` is when the allowed time ends next (the end of the window, or the
        /// start of a freeze, whichever is first); nil when it does not end within the
        /// horizon. With `min_window_left_seconds` new batches stop that long before it.
        case open(closesAt: Date?)
        /// No. `nextOpening` is the earliest instant from then on at which the status is
        /// `open` (windows, freezes and `min_window_left_seconds` all considered), nil when
        /// there is none within the horizon; `reason` is a short sentence for people:
        /// `outside the maintenance windows`, `frozen (2026-12-24T00:00:00Z until
        /// 2026-12-27T00:00:00Z)`, `frozen (sat-sun 00:00-24:00 Europe/Berlin)`,
        /// `only 600 s left in the window, min_window_left_seconds is 1800`.
        case closed(nextOpening: Date?, reason: String)

        var isOpen: Bool {
            if case .open = self { return true }
            return false
        }

        /// Whole seconds from `now` until the next opening, at least 1, for a Retry-After
        /// header; nil when open or when no opening is known.
        func retryAfterSeconds(from now: Date) -> Int? {
            guard case .closed(let next?, _) = self else { return nil }
            return max(1, Int(next.timeIntervalSince(now).rounded(.up)))
        }
    }
}

/// Why windows or freezes cannot be used, naming the field: `windows[1].time_zone: no time
/// zone named Europe/Berln in the system's tz database`.
struct RolloutCalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
