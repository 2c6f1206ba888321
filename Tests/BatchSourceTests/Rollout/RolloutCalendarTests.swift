import Foundation
import InventoryModel
import Testing

@testable import BatchSource

@Suite("Rollout calendar: maintenance windows, freezes, min_window_left_seconds")
struct RolloutCalendarTests {
    func at(_ text: String) -> Date { RFC3339.date(from: text)! }

    func window(_ days: String, _ start: String, _ end: String, _ zone: String = "UTC") -> WeeklyWindow {
        WeeklyWindow(days: days, start: start, end: end, timeZone: zone)
    }

    func open(until closes: String?) -> RolloutCalendar.Status {
        .open(closesAt: closes.map(at))
    }

    func closed(_ reason: String, next: String?) -> RolloutCalendar.Status {
        .closed(nextOpening: next.map(at), reason: reason)
    }

    let outside = "outside the maintenance windows"

    @Test("no windows and no freezes: unrestricted, always open with no end")
    func unrestricted() throws {
        let calendar = try RolloutCalendar(windows: [], freezes: [])
        #expect(calendar.isUnrestricted)
        #expect(calendar.status(at: at("2026-03-10T12:00:00Z")) == open(until: nil))
        let windowed = try RolloutCalendar(windows: [window("daily", "00:00", "01:00")], freezes: [])
        #expect(!windowed.isUnrestricted)
    }

    @Test("a window crossing midnight (sat-sun 22:00-04:00 UTC) opens Saturday and Sunday night until 04:00")
    func windowCrossingMidnight() throws {
        let calendar = try RolloutCalendar(windows: [window("sat-sun", "22:00", "04:00")], freezes: [])
        // 2026-03-06 is a Friday, 2026-03-07 a Saturday.
        #expect(calendar.status(at: at("2026-03-06T23:00:00Z")) == closed(outside, next: "2026-03-07T22:00:00Z"))
        #expect(calendar.status(at: at("2026-03-07T21:59:59Z")) == closed(outside, next: "2026-03-07T22:00:00Z"))
        #expect(calendar.status(at: at("2026-03-07T22:00:00Z")) == open(until: "2026-03-08T04:00:00Z"))
        #expect(calendar.status(at: at("2026-03-08T03:59:59Z")) == open(until: "2026-03-08T04:00:00Z"))
        #expect(calendar.status(at: at("2026-03-08T04:00:00Z")) == closed(outside, next: "2026-03-08T22:00:00Z"))
        // Sunday's interval runs into Monday morning.
        #expect(calendar.status(at: at("2026-03-09T03:00:00Z")) == open(until: "2026-03-09T04:00:00Z"))
        #expect(calendar.status(at: at("2026-03-09T04:00:00Z")) == closed(outside, next: "2026-03-14T22:00:00Z"))
    }

    @Test("day ranges wrap through the week: fri-mon, and sat-sun all day joins into one stretch")
    func wrappingRanges() throws {
        let friMon = try RolloutCalendar(windows: [window("fri-mon", "09:00", "17:00")], freezes: [])
        // 2026-03-10 is a Tuesday.
        #expect(friMon.status(at: at("2026-03-10T10:00:00Z")) == closed(outside, next: "2026-03-13T09:00:00Z"))
        #expect(friMon.status(at: at("2026-03-12T10:00:00Z")) == closed(outside, next: "2026-03-13T09:00:00Z"))
        #expect(friMon.status(at: at("2026-03-15T16:00:00Z")) == open(until: "2026-03-15T17:00:00Z"))
        #expect(friMon.status(at: at("2026-03-16T10:00:00Z")) == open(until: "2026-03-16T17:00:00Z"))
        #expect(friMon.status(at: at("2026-03-16T17:00:00Z")) == closed(outside, next: "2026-03-20T09:00:00Z"))
        let weekend = try RolloutCalendar(windows: [window("sat-sun", "00:00", "24:00")], freezes: [])
        #expect(weekend.status(at: at("2026-03-07T10:00:00Z")) == open(until: "2026-03-09T00:00:00Z"))
        #expect(weekend.status(at: at("2026-03-09T00:00:00Z")) == closed(outside, next: "2026-03-14T00:00:00Z"))
        let always = try RolloutCalendar(windows: [window("daily", "00:00", "24:00")], freezes: [])
        #expect(always.status(at: at("2026-03-10T10:00:00Z")) == open(until: nil))
    }

    @Test("Europe/Berlin springs forward on 2026-03-29: a 22:00-04:00 window that night is 5 hours")
    func berlinSpringForward() throws {
        let calendar = try RolloutCalendar(
            windows: [window("sat-sun", "22:00", "04:00", "Europe/Berlin")], freezes: [])
        // Saturday 22:00 CET is 21:00Z; Sunday 04:00 CEST is 02:00Z.
        #expect(calendar.status(at: at("2026-03-28T20:59:59Z")) == closed(outside, next: "2026-03-28T21:00:00Z"))
        #expect(calendar.status(at: at("2026-03-28T21:00:00Z")) == open(until: "2026-03-29T02:00:00Z"))
        #expect(calendar.status(at: at("2026-03-29T00:59:59Z")) == open(until: "2026-03-29T02:00:00Z"))
        #expect(calendar.status(at: at("2026-03-29T01:00:00Z")) == open(until: "2026-03-29T02:00:00Z"))
        #expect(calendar.status(at: at("2026-03-29T01:59:59Z")) == open(until: "2026-03-29T02:00:00Z"))
        // Sunday 22:00 CEST is 20:00Z.
        #expect(calendar.status(at: at("2026-03-29T02:00:00Z")) == closed(outside, next: "2026-03-29T20:00:00Z"))
        #expect(calendar.status(at: at("2026-03-29T20:00:00Z")) == open(until: "2026-03-30T02:00:00Z"))
    }

    @Test("a start in the spring-forward gap opens when the gap ends; a window inside the gap does not happen")
    func berlinGap() throws {
        let startInGap = try RolloutCalendar(
            windows: [window("daily", "02:30", "03:30", "Europe/Berlin")], freezes: [])
        // The day before: 02:30-03:30 CET is 01:30Z-02:30Z.
        #expect(startInGap.status(at: at("2026-03-28T02:00:00Z")) == open(until: "2026-03-28T02:30:00Z"))
        // On 2026-03-29, 02:30 does not exist: the window opens at 03:00 CEST (01:00Z), ends 03:30 CEST.
        #expect(startInGap.status(at: at("2026-03-29T00:30:00Z")) == closed(outside, next: "2026-03-29T01:00:00Z"))
        #expect(startInGap.status(at: at("2026-03-29T01:00:00Z")) == open(until: "2026-03-29T01:30:00Z"))
        let insideGap = try RolloutCalendar(
            windows: [window("daily", "02:00", "02:30", "Europe/Berlin")], freezes: [])
        // Monday 02:00 CEST is 00:00Z.
        #expect(insideGap.status(at: at("2026-03-29T00:30:00Z")) == closed(outside, next: "2026-03-30T00:00:00Z"))
    }

    @Test("Europe/Berlin falls back on 2026-10-25: a 22:00-04:00 window that night is 7 hours")
    func berlinFallBack() throws {
        let calendar = try RolloutCalendar(
            windows: [window("sat-sun", "22:00", "04:00", "Europe/Berlin")], freezes: [])
        // Saturday 22:00 CEST is 20:00Z; Sunday 04:00 CET is 03:00Z.
        #expect(calendar.status(at: at("2026-10-24T19:59:59Z")) == closed(outside, next: "2026-10-24T20:00:00Z"))
        #expect(calendar.status(at: at("2026-10-24T20:00:00Z")) == open(until: "2026-10-25T03:00:00Z"))
        #expect(calendar.status(at: at("2026-10-25T00:30:00Z")) == open(until: "2026-10-25T03:00:00Z"))
        #expect(calendar.status(at: at("2026-10-25T01:30:00Z")) == open(until: "2026-10-25T03:00:00Z"))
        #expect(calendar.status(at: at("2026-10-25T02:59:59Z")) == open(until: "2026-10-25T03:00:00Z"))
        // Sunday 22:00 CET is 21:00Z.
        #expect(calendar.status(at: at("2026-10-25T03:00:00Z")) == closed(outside, next: "2026-10-25T21:00:00Z"))
    }

    @Test("an ambiguous fall-back start (02:30 on 2026-10-25 in Berlin) means its first occurrence")
    func berlinAmbiguousStart() throws {
        let calendar = try RolloutCalendar(
            windows: [window("daily", "02:30", "05:00", "Europe/Berlin")], freezes: [])
        // 02:30 CEST is 00:30Z (02:30 CET, 01:30Z, comes an hour later); 05:00 CET is 04:00Z.
        #expect(calendar.status(at: at("2026-10-25T00:00:00Z")) == closed(outside, next: "2026-10-25T00:30:00Z"))
        #expect(calendar.status(at: at("2026-10-25T00:30:00Z")) == open(until: "2026-10-25T04:00:00Z"))
        #expect(calendar.status(at: at("2026-10-25T04:00:00Z")) == closed(outside, next: "2026-10-26T01:30:00Z"))
    }

    @Test("America/New_York: 01:00-04:00 is 2 hours on 2026-03-08 and 4 hours on 2026-11-01")
    func newYork() throws {
        let calendar = try RolloutCalendar(
            windows: [window("daily", "01:00", "04:00", "America/New_York")], freezes: [])
        // 2026-03-08: 01:00 EST is 06:00Z, 04:00 EDT is 08:00Z; the next day 01:00 EDT is 05:00Z.
        #expect(calendar.status(at: at("2026-03-08T05:59:59Z")) == closed(outside, next: "2026-03-08T06:00:00Z"))
        #expect(calendar.status(at: at("2026-03-08T06:00:00Z")) == open(until: "2026-03-08T08:00:00Z"))
        #expect(calendar.status(at: at("2026-03-08T07:30:00Z")) == open(until: "2026-03-08T08:00:00Z"))
        #expect(calendar.status(at: at("2026-03-08T08:00:00Z")) == closed(outside, next: "2026-03-09T05:00:00Z"))
        // 2026-11-01: 01:00 EDT (the first of two) is 05:00Z, 04:00 EST is 09:00Z.
        #expect(calendar.status(at: at("2026-10-31T08:00:00Z")) == closed(outside, next: "2026-11-01T05:00:00Z"))
        #expect(calendar.status(at: at("2026-11-01T05:00:00Z")) == open(until: "2026-11-01T09:00:00Z"))
        #expect(calendar.status(at: at("2026-11-01T06:30:00Z")) == open(until: "2026-11-01T09:00:00Z"))
        #expect(calendar.status(at: at("2026-11-01T09:00:00Z")) == closed(outside, next: "2026-11-02T06:00:00Z"))
    }

    @Test("a weekly freeze beats a window: the window closes when the freeze starts")
    func weeklyFreezeBeatsWindow() throws {
        let calendar = try RolloutCalendar(
            windows: [window("mon-fri", "08:00", "18:00")],
            freezes: [.weekly(window("fri", "12:00", "24:00"))])
        // 2026-03-13 is a Friday.
        #expect(calendar.status(at: at("2026-03-13T10:00:00Z")) == open(until: "2026-03-13T12:00:00Z"))
        #expect(
            calendar.status(at: at("2026-03-13T13:00:00Z"))
                == closed("frozen (fri 12:00-24:00 UTC)", next: "2026-03-16T08:00:00Z"))
        #expect(calendar.status(at: at("2026-03-12T17:00:00Z")) == open(until: "2026-03-12T18:00:00Z"))
    }

    @Test("a weekly freeze in its own time zone, with no windows: frozen (sat-sun 00:00-24:00 Europe/Berlin)")
    func weeklyFreezeWithoutWindows() throws {
        let calendar = try RolloutCalendar(
            windows: [], freezes: [.weekly(window("sat-sun", "00:00", "24:00", "Europe/Berlin"))])
        // Saturday 00:00 CET is Friday 23:00Z; Monday 00:00 CET is Sunday 23:00Z.
        #expect(calendar.status(at: at("2026-03-13T12:00:00Z")) == open(until: "2026-03-13T23:00:00Z"))
        #expect(
            calendar.status(at: at("2026-03-14T12:00:00Z"))
                == closed("frozen (sat-sun 00:00-24:00 Europe/Berlin)", next: "2026-03-15T23:00:00Z"))
    }

    @Test("an absolute freeze beats a window, and the reason quotes its times as given")
    func absoluteFreezeBeatsWindow() throws {
        let calendar = try RolloutCalendar(
            windows: [window("mon-fri", "08:00", "18:00")],
            freezes: [.span(from: "2026-03-11T00:00:00Z", until: "2026-03-12T13:00:00+01:00")])
        #expect(calendar.status(at: at("2026-03-10T17:00:00Z")) == open(until: "2026-03-10T18:00:00Z"))
        #expect(
            calendar.status(at: at("2026-03-11T10:00:00Z"))
                == closed(
                    "frozen (2026-03-11T00:00:00Z until 2026-03-12T13:00:00+01:00)", next: "2026-03-12T12:00:00Z"))
        #expect(calendar.status(at: at("2026-03-12T12:00:00Z")) == open(until: "2026-03-12T18:00:00Z"))
    }

    @Test("nextOpening skips an absolute freeze that covers several windows")
    func nextOpeningSkipsFreeze() throws {
        let calendar = try RolloutCalendar(
            windows: [window("daily", "22:00", "04:00")],
            freezes: [.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T06:00:00+01:00")])
        #expect(calendar.status(at: at("2026-12-23T12:00:00Z")) == closed(outside, next: "2026-12-23T22:00:00Z"))
        #expect(calendar.status(at: at("2026-12-23T23:00:00Z")) == open(until: "2026-12-24T00:00:00Z"))
        let frozen = "frozen (2026-12-24T00:00:00Z until 2026-12-27T06:00:00+01:00)"
        #expect(calendar.status(at: at("2026-12-24T00:00:00Z")) == closed(frozen, next: "2026-12-27T22:00:00Z"))
        #expect(calendar.status(at: at("2026-12-26T23:00:00Z")) == closed(frozen, next: "2026-12-27T22:00:00Z"))
        #expect(calendar.status(at: at("2026-12-27T05:00:00Z")) == closed(outside, next: "2026-12-27T22:00:00Z"))
    }

    @Test("a freeze lasting more than a year: the next opening is the first window after it")
    func longFreeze() throws {
        let calendar = try RolloutCalendar(
            windows: [window("mon", "10:00", "12:00")],
            freezes: [.span(from: "2026-01-01T00:00:00Z", until: "2027-06-01T00:00:00Z")])
        // 2027-06-01 is a Tuesday; the next Monday is 2027-06-07.
        #expect(
            calendar.status(at: at("2026-03-10T00:00:00Z"))
                == closed("frozen (2026-01-01T00:00:00Z until 2027-06-01T00:00:00Z)", next: "2027-06-07T10:00:00Z"))
        let spansOnly = try RolloutCalendar(
            windows: [], freezes: [.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z")])
        #expect(spansOnly.status(at: at("2026-03-10T00:00:00Z")) == open(until: "2026-12-24T00:00:00Z"))
        #expect(spansOnly.status(at: at("2026-12-27T00:00:00Z")) == open(until: nil))
    }

    @Test("min_window_left_seconds closes a window's tail; the next opening is the next window's start")
    func minWindowLeft() throws {
        let calendar = try RolloutCalendar(
            windows: [window("daily", "22:00", "04:00")], freezes: [], minWindowLeftSeconds: 1800)
        #expect(calendar.status(at: at("2026-03-10T03:30:00Z")) == open(until: "2026-03-10T04:00:00Z"))
        #expect(
            calendar.status(at: at("2026-03-10T03:50:00Z"))
                == closed(
                    "only 600 s left in the window, min_window_left_seconds is 1800", next: "2026-03-10T22:00:00Z"))
        #expect(
            calendar.status(at: at("2026-03-10T03:30:01Z"))
                == closed(
                    "only 1799 s left in the window, min_window_left_seconds is 1800", next: "2026-03-10T22:00:00Z"))
        // A window shorter than min_window_left_seconds never opens.
        let short = try RolloutCalendar(
            windows: [window("daily", "10:00", "10:20"), window("daily", "22:00", "04:00")], freezes: [],
            minWindowLeftSeconds: 1800)
        #expect(short.status(at: at("2026-03-10T09:00:00Z")) == closed(outside, next: "2026-03-10T22:00:00Z"))
        #expect(
            short.status(at: at("2026-03-10T10:05:00Z"))
                == closed(
                    "only 900 s left in the window, min_window_left_seconds is 1800", next: "2026-03-10T22:00:00Z"))
    }

    @Test("min_window_left_seconds before a freeze says so; an endless window never trips it")
    func minWindowLeftBeforeFreeze() throws {
        let calendar = try RolloutCalendar(
            windows: [], freezes: [.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z")],
            minWindowLeftSeconds: 3600)
        #expect(
            calendar.status(at: at("2026-12-23T23:30:00Z"))
                == closed(
                    "only 1800 s left before the freeze (2026-12-24T00:00:00Z until 2026-12-27T00:00:00Z), min_window_left_seconds is 3600",
                    next: "2026-12-27T00:00:00Z"))
        let always = try RolloutCalendar(
            windows: [window("daily", "00:00", "24:00")], freezes: [], minWindowLeftSeconds: 3600)
        #expect(always.status(at: at("2026-03-10T23:30:00Z")) == open(until: nil))
    }

    @Test("windows in two time zones join where they overlap")
    func twoZones() throws {
        let calendar = try RolloutCalendar(
            windows: [
                window("mon", "09:00", "12:00", "Europe/Berlin"), window("mon", "05:00", "08:00", "America/New_York"),
            ],
            freezes: [])
        // 2026-03-16: Berlin (CET) 08:00Z-11:00Z; New York (EDT since 03-08) 09:00Z-12:00Z.
        #expect(calendar.status(at: at("2026-03-16T08:30:00Z")) == open(until: "2026-03-16T12:00:00Z"))
        // 2026-03-02: New York still EST, 10:00Z-13:00Z, after Berlin's 08:00Z-11:00Z.
        #expect(calendar.status(at: at("2026-03-02T10:30:00Z")) == open(until: "2026-03-02T13:00:00Z"))
        #expect(calendar.status(at: at("2026-03-02T13:00:00Z")) == closed(outside, next: "2026-03-09T08:00:00Z"))
    }

    @Test("an unknown time zone is refused, naming the field")
    func unknownZone() {
        #expect(
            throws: RolloutCalendarError(
                "windows[1].time_zone: no time zone named Europe/Berln in the system's tz database")
        ) {
            try RolloutCalendar(
                windows: [window("daily", "22:00", "04:00"), window("daily", "22:00", "04:00", "Europe/Berln")],
                freezes: [])
        }
        #expect(
            throws: RolloutCalendarError(
                "freezes[0].time_zone: no time zone named Mars/Olympus in the system's tz database")
        ) {
            try RolloutCalendar(windows: [], freezes: [.weekly(window("sat", "00:00", "24:00", "Mars/Olympus"))])
        }
    }

    @Test("bad syntax and a bad min_window_left_seconds are refused with the wire messages")
    func badSyntax() {
        #expect(
            throws: RolloutCalendarError(
                "windows[0].days: \"sat-sno\" is not a day; use mon…sun, ranges like sat-sun, or daily")
        ) {
            try RolloutCalendar(windows: [window("sat-sno", "22:00", "04:00")], freezes: [])
        }
        #expect(
            throws: RolloutCalendarError(
                "freezes[0].until: 2026-12-24T00:00:00Z is not after from (2026-12-27T00:00:00Z)")
        ) {
            try RolloutCalendar(
                windows: [], freezes: [.span(from: "2026-12-27T00:00:00Z", until: "2026-12-24T00:00:00Z")])
        }
        #expect(throws: RolloutCalendarError("min_window_left_seconds must be in 1...604800, got 0")) {
            try RolloutCalendar(windows: [], freezes: [], minWindowLeftSeconds: 0)
        }
    }

    @Test("Retry-After from a status: whole seconds up to the next opening, at least 1")
    func retryAfter() {
        let now = at("2026-03-10T03:50:00Z")
        #expect(closed(outside, next: "2026-03-10T22:00:00.500Z").retryAfterSeconds(from: now) == 65_401)
        #expect(closed(outside, next: "2026-03-10T03:50:00Z").retryAfterSeconds(from: now) == 1)
        #expect(closed(outside, next: nil).retryAfterSeconds(from: now) == nil)
        #expect(open(until: "2026-03-10T04:00:00Z").retryAfterSeconds(from: now) == nil)
    }

    @Test("across DST weeks, nextOpening is open and the second before it closed; closesAt is closed")
    func statusesAgree() throws {
        let calendar = try RolloutCalendar(
            windows: [
                window("sat-sun", "22:00", "04:00", "Europe/Berlin"),
                window("mon-fri", "01:00", "03:00", "America/New_York"),
            ],
            freezes: [
                .weekly(window("sun", "02:00", "02:45", "Europe/Berlin")),
                .span(from: "2026-03-10T00:00:00Z", until: "2026-03-12T00:00:00Z"),
            ],
            minWindowLeftSeconds: 1200)
        var t = at("2026-03-01T00:00:00Z")
        var checked = 0
        while t < at("2026-04-05T00:00:00Z") {
            switch calendar.status(at: t) {
            case .closed(let next?, _):
                #expect(next >= t)
                #expect(calendar.status(at: next).isOpen, "the next opening is open")
                if next.addingTimeInterval(-1) >= t {
                    #expect(!calendar.status(at: next.addingTimeInterval(-1)).isOpen, "a second before it is not")
                }
                checked += 1
            case .open(let closes?):
                #expect(closes > t)
                #expect(!calendar.status(at: closes).isOpen, "the closing instant is closed")
                checked += 1
            default:
                Issue.record("no opening or closing found from \(t)")
            }
            t = t.addingTimeInterval(37 * 60)
        }
        #expect(checked > 1000)
    }
}
