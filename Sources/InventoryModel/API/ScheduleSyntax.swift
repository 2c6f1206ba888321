/// The text forms inside maintenance windows and freezes: day lists (`mon-fri`, `sat,sun`,
/// `fri-mon`, `daily`), times of day (`22:00`) and RFC 3339 instants
/// (`2026-12-24T00:00:00Z`, `2026-12-24T00:00:00+01:00`). Parsed by hand, on the standard
/// library alone, so the service and inventory-script agree on every string.
public enum ScheduleSyntax {
    /// The day names, Monday first: index + 1 is the ISO day number (1 = Monday … 7 = Sunday).
    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Why a text is refused, in words that follow the field's name.
    struct Problem: Error, Equatable {
        var message: String
    }

    /// The ISO day numbers named by a day list: comma-separated items, each a day, a range of
    /// days (wrapping through the week: `fri-mon` is Friday to Monday) or `daily`; case and
    /// spaces around items do not matter.
    static func days(_ text: String) throws(Problem) -> Set<Int> {
        var result: Set<Int> = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = trimmed(rawItem).lowercased()
            if item.isEmpty {
                throw Problem(message: "\"\(text)\" has an empty item; use mon…sun, ranges like sat-sun, or daily")
            }
            if item == "daily" {
                result.formUnion(1...7)
                continue
            }
            let ends = item.split(separator: "-", omittingEmptySubsequences: false).map { trimmed($0) }
            let numbers = ends.map { dayNames.firstIndex(of: $0).map { $0 + 1 } }
            guard ends.count <= 2, let first = numbers.first ?? nil, let last = numbers.last ?? nil else {
                throw Problem(message: "\"\(item)\" is not a day; use mon…sun, ranges like sat-sun, or daily")
            }
            if first <= last {
                result.formUnion(first...last)
            } else {
                result.formUnion(first...7)
                result.formUnion(1...last)
            }
        }
        return result
    }

    /// Minutes since midnight of an `HH:MM` time of day (24-hour clock, two digits each);
    /// `24:00` (1440) only when `allowingEndOfDay`.
    static func minutes(_ text: String, allowingEndOfDay: Bool) throws(Problem) -> Int {
        let utf8 = Array(text.utf8)
        if utf8.count == 5, utf8[2] == UInt8(ascii: ":"),
            let hours = twoDigits(utf8, at: 0), let minutes = twoDigits(utf8, at: 3), minutes < 60
        {
            if hours < 24 { return hours * 60 + minutes }
            if allowingEndOfDay, hours == 24, minutes == 0 { return 1440 }
        }
        let latest = allowingEndOfDay ? "24:00" : "23:59"
        throw Problem(message: "\"\(text)\" is not a time of day; use HH:MM from 00:00 to \(latest)")
    }

    /// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an
    /// optional fraction, then `Z` or an offset `+HH:MM`/`-HH:MM` (`T` and `Z` in either case).
    /// Leap seconds (`:60`) are refused. `nil` when `text` is not such a time.
    public static func epochSeconds(rfc3339 text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count >= 20,
            let y1 = twoDigits(b, at: 0), let y2 = twoDigits(b, at: 2), b[4] == UInt8(ascii: "-"),
            let month = twoDigits(b, at: 5), b[7] == UInt8(ascii: "-"), let day = twoDigits(b, at: 8),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let hour = twoDigits(b, at: 11), b[13] == UInt8(ascii: ":"), let minute = twoDigits(b, at: 14),
            b[16] == UInt8(ascii: ":"), let second = twoDigits(b, at: 17)
        else { return nil }
        let year = y1 * 100 + y2
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let digitsStart = i
            while i < b.count, let d = digit(b[i]) {
                fraction += Double(d) * scale
                scale /= 10
                i += 1
            }
            guard i > digitsStart else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let oh = twoDigits(b, at: i + 1), b[i + 3] == UInt8(ascii: ":"),
                let om = twoDigits(b, at: i + 4), oh < 24, om < 60
            else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Double(seconds) + fraction
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func twoDigits(_ bytes: [UInt8], at i: Int) -> Int? {
        guard i + 1 < bytes.count, let tens = digit(bytes[i]), let ones = digit(bytes[i + 1]) else { return nil }
        return tens * 10 + ones
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
