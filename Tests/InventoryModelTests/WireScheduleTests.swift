import FoundationEssentials
import InventoryModel
import Testing

@Suite("Maintenance windows and freezes on the wire")
struct WireScheduleTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("day lists: single days, ranges, ranges wrapping through the week, daily, any case")
    func dayLists() {
        func days(_ text: String) -> Set<Int> { WeeklyWindow(days: text, start: "00:00", end: "01:00").parsedDays }
        #expect(days("mon") == [1])
        #expect(days("mon-fri") == [1, 2, 3, 4, 5])
        #expect(days("sat-sun") == [6, 7])
        #expect(days("fri-mon") == [5, 6, 7, 1])
        #expect(days("sun-mon") == [7, 1])
        #expect(days("daily") == Set(1...7))
        #expect(days("Mon, WED ,fri") == [1, 3, 5])
        #expect(days("tue,sat-sun") == [2, 6, 7])
        #expect(days("thu-thu") == [4])
        #expect(days("sat-sno").isEmpty)
    }

    @Test("times of day in minutes; end may be 24:00, start may not; length crosses midnight")
    func timesOfDay() {
        let night = WeeklyWindow(days: "sat-sun", start: "22:00", end: "04:00", timeZone: "Europe/Berlin")
        #expect(night.startMinutes == 1320)
        #expect(night.endMinutes == 240)
        #expect(night.lengthMinutes == 360)
        #expect(WeeklyWindow(days: "daily", start: "00:00", end: "24:00").lengthMinutes == 1440)
        #expect(WeeklyWindow(days: "daily", start: "09:30", end: "09:30").lengthMinutes == 1440)
        #expect(WeeklyWindow(days: "daily", start: "24:00", end: "01:00").startMinutes == nil)
        #expect(WeeklyWindow(days: "daily", start: "9:00", end: "10:00").startMinutes == nil)
        #expect(WeeklyWindow(days: "daily", start: "23:59", end: "24:00").lengthMinutes == 1)
    }

    @Test("syntax problems name the field below the caller's path and say what is expected")
    func syntaxProblems() {
        let badDay = WeeklyWindow(days: "sat-sno", start: "22:00", end: "04:00")
        #expect(
            badDay.problem(at: "windows[0]")
                == "windows[0].days: \"sat-sno\" is not a day; use mon…sun, ranges like sat-sun, or daily")
        #expect(badDay.problem == "days: \"sat-sno\" is not a day; use mon…sun, ranges like sat-sun, or daily")
        #expect(
            WeeklyWindow(days: "mon,,tue", start: "22:00", end: "04:00").problem
                == "days: \"mon,,tue\" has an empty item; use mon…sun, ranges like sat-sun, or daily")
        #expect(
            WeeklyWindow(days: "mon", start: "25:00", end: "04:00").problem(at: "windows[3]")
                == "windows[3].start: \"25:00\" is not a time of day; use HH:MM from 00:00 to 23:59")
        #expect(
            WeeklyWindow(days: "mon", start: "22:00", end: "24:01").problem
                == "end: \"24:01\" is not a time of day; use HH:MM from 00:00 to 24:00")
        #expect(
            WeeklyWindow(days: "mon", start: "22:00", end: "04:00", timeZone: "").problem
                == "time_zone must have 1 to 64 characters, got 0")
        #expect(WeeklyWindow(days: "mon-fri", start: "22:00", end: "24:00").problem == nil)
    }

    @Test("a window's JSON: time_zone defaults to UTC, round-trips, unknown fields are refused")
    func windowJSON() throws {
        let window = try decode(WeeklyWindow.self, #"{"days": "sat-sun", "start": "22:00", "end": "04:00"}"#)
        #expect(window == WeeklyWindow(days: "sat-sun", start: "22:00", end: "04:00", timeZone: "UTC"))
        let berlin = WeeklyWindow(days: "fri-mon", start: "01:00", end: "05:00", timeZone: "Europe/Berlin")
        let text = try encode(berlin)
        #expect(text == #"{"days":"fri-mon","end":"05:00","start":"01:00","time_zone":"Europe/Berlin"}"#)
        #expect(try decode(WeeklyWindow.self, text) == berlin)
        #expect(throws: DecodingError.self) {
            try decode(WeeklyWindow.self, #"{"days": "mon", "start": "22:00", "end": "04:00", "timezone": "UTC"}"#)
        }
    }

    @Test("both freeze forms round-trip through JSON")
    func freezeRoundTrip() throws {
        let span = Freeze.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00+01:00")
        let spanText = try encode(span)
        #expect(spanText == #"{"from":"2026-12-24T00:00:00Z","until":"2026-12-27T00:00:00+01:00"}"#)
        #expect(try decode(Freeze.self, spanText) == span)
        let weekly = Freeze.weekly(
            WeeklyWindow(days: "sat-sun", start: "00:00", end: "24:00", timeZone: "Europe/Berlin"))
        let weeklyText = try encode(weekly)
        #expect(weeklyText == #"{"days":"sat-sun","end":"24:00","start":"00:00","time_zone":"Europe/Berlin"}"#)
        #expect(try decode(Freeze.self, weeklyText) == weekly)
        #expect(try decode([Freeze].self, "[\(spanText), \(weeklyText)]") == [span, weekly])
    }

    @Test("a freeze mixing both forms, or with an unknown field in either, is refused")
    func freezeRefusals() throws {
        let mixed = #"{"from": "2026-12-24T00:00:00Z", "until": "2026-12-27T00:00:00Z", "days": "mon"}"#
        #expect(throws: DecodingError.self) { try decode(Freeze.self, mixed) }
        let spanStranger = #"{"from": "2026-12-24T00:00:00Z", "until": "2026-12-27T00:00:00Z", "why": "xmas"}"#
        #expect(throws: DecodingError.self) { try decode(Freeze.self, spanStranger) }
        let weeklyStranger = #"{"days": "mon", "start": "00:00", "end": "01:00", "until": "x"}"#
        #expect(throws: DecodingError.self) { try decode(Freeze.self, weeklyStranger) }
        let weeklyUnknown = #"{"days": "mon", "start": "00:00", "end": "01:00", "note": "x"}"#
        #expect(throws: DecodingError.self) { try decode(Freeze.self, weeklyUnknown) }
        #expect(throws: DecodingError.self) { try decode(Freeze.self, #"{"from": "2026-12-24T00:00:00Z"}"#) }
        do {
            _ = try decode(Freeze.self, mixed)
        } catch DecodingError.dataCorrupted(let context) {
            #expect(
                context.debugDescription
                    == "a freeze is either weekly (days, start, end, time_zone) or a span (from, until), not both")
        }
    }

    @Test("RFC 3339 instants: Z, offsets, fractions, lowercase; impossible dates refused")
    func rfc3339() {
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "1970-01-01T00:00:00Z") == 0)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "2026-12-24T00:00:00Z") == 1_798_070_400)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "2026-12-24T01:00:00+01:00") == 1_798_070_400)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "2026-12-23T19:00:00-05:00") == 1_798_070_400)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "2026-12-24t00:00:00.5z") == 1_798_070_400.5)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "2028-02-29T12:00:00Z") == 1_835_438_400)
        #expect(ScheduleSyntax.epochSeconds(rfc3339: "1969-12-31T23:59:59Z") == -1)
        for bad in [
            "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-24 00:00:00Z", "2026-12-24T00:00:00",
            "2026-12-24T24:00:00Z", "2026-12-24T00:00:60Z", "2026-12-24T00:00:00+0100", "2026-12-24T00:00:00.Z",
            "2026-12-24", "",
        ] {
            #expect(ScheduleSyntax.epochSeconds(rfc3339: bad) == nil, "\(bad) is not RFC 3339")
        }
    }

    @Test("span problems: bad times and an until not after from, named below the path")
    func spanProblems() {
        #expect(
            Freeze.span(from: "2026-12-24", until: "2026-12-27T00:00:00Z").problem(at: "freezes[1]")
                == "freezes[1].from: \"2026-12-24\" is not an RFC 3339 time such as 2026-12-24T00:00:00Z or 2026-12-24T00:00:00+01:00"
        )
        #expect(
            Freeze.span(from: "2026-12-24T00:00:00Z", until: "tomorrow").problem
                == "until: \"tomorrow\" is not an RFC 3339 time such as 2026-12-24T00:00:00Z or 2026-12-24T00:00:00+01:00"
        )
        #expect(
            Freeze.span(from: "2026-12-24T01:00:00+01:00", until: "2026-12-24T00:00:00Z").problem(at: "freezes[0]")
                == "freezes[0].until: 2026-12-24T00:00:00Z is not after from (2026-12-24T01:00:00+01:00)")
        #expect(Freeze.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z").problem == nil)
        let span = Freeze.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z").spanEpochSeconds
        #expect(span?.from == 1_798_070_400)
        #expect(span?.until == 1_798_329_600)
        #expect(Freeze.weekly(WeeklyWindow(days: "mon", start: "00:00", end: "01:00")).spanEpochSeconds == nil)
    }

    @Test("the lists: at most 100 windows and 100 freezes; the first bad item is named by its place")
    func listProblems() {
        let good = WeeklyWindow(days: "mon-fri", start: "22:00", end: "04:00")
        let bad = WeeklyWindow(days: "mon-fri", start: "22:00", end: "4:00")
        #expect(WireSchedule.problem(windows: Array(repeating: good, count: 100), freezes: []) == nil)
        #expect(
            WireSchedule.problem(windows: Array(repeating: good, count: 101), freezes: [])
                == "windows may hold at most 100 windows, got 101")
        let freeze = Freeze.span(from: "2026-12-24T00:00:00Z", until: "2026-12-27T00:00:00Z")
        #expect(
            WireSchedule.problem(windows: [], freezes: Array(repeating: freeze, count: 101))
                == "freezes may hold at most 100 freezes, got 101")
        #expect(
            WireSchedule.problem(windows: [good, bad], freezes: [])
                == "windows[1].end: \"4:00\" is not a time of day; use HH:MM from 00:00 to 24:00")
        #expect(
            WireSchedule.problem(windows: [good], freezes: [freeze, .weekly(bad)])
                == "freezes[1].end: \"4:00\" is not a time of day; use HH:MM from 00:00 to 24:00")
    }
}
