/// A YAML 1.1 timestamp as PyYAML's `construct_yaml_timestamp` reads it:
///
/// ```
/// ^(?P<year>[0-9][0-9][0-9][0-9])-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)
///  (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9][0-9]):(?P<second>[0-9][0-9])
///  (?:\.(?P<fraction>[0-9]*))?
///  (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)(?::(?P<tz_minute>[0-9][0-9]))?))?)?$
/// ```
struct YAMLTimestamp {
    var year = 0, month = 0, day = 0
    var hour: Int?
    var minute = 0, second = 0
    /// Microseconds: the fraction's first six digits, padded, as PyYAML does.
    var microsecond = 0
    /// UTC offset in minutes; `nil` for a naive datetime.
    var offsetMinutes: Int?

    /// Matches the pattern above; `requireTime` is the resolver's variant, where the short
    /// `2001-1-2` form needs a time.
    static func parse(_ s: YAMLBytes, requireTime: Bool) -> YAMLTimestamp? {
        var ts = YAMLTimestamp()
        var i = 0
        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var n = 0
            var count = 0
            while count < maxDigits, i < s.count, s[i].isYAMLDigit {
                n = n * 10 + Int(s[i] - UInt8(ascii: "0"))
                i += 1
                count += 1
            }
            return count >= minDigits ? n : nil
        }
        func expect(_ c: Character) -> Bool {
            guard i < s.count, s[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4, 4), expect("-"), let month = number(1, 2), expect("-"), let day = number(1, 2) else {
            return nil
        }
        (ts.year, ts.month, ts.day) = (year, month, day)
        if i == s.count { return requireTime ? nil : ts }
        // Separator: `T`, `t`, or a run of spaces and tabs.
        if s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let start = i
            i = s.skip(from: i) { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard i > start else { return nil }
        }
        guard let hour = number(1, 2), expect(":"), let minute = number(2, 2), expect(":"), let second = number(2, 2)
        else { return nil }
        (ts.hour, ts.minute, ts.second) = (hour, minute, second)
        if expect(".") {
            var digits = 0
            var micro = 0
            while i < s.count, s[i].isYAMLDigit {
                if digits < 6 { micro = micro * 10 + Int(s[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
            for _ in min(digits, 6)..<6 { micro *= 10 }
            ts.microsecond = micro
        }
        if i == s.count { return ts }
        i = s.skip(from: i) { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "Z") {
            i += 1
            ts.offsetMinutes = 0
        } else if s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            let negative = s[i] == UInt8(ascii: "-")
            i += 1
            guard let tzHour = number(1, 2) else { return nil }
            var tzMinute = 0
            if expect(":") {
                guard let m = number(2, 2) else { return nil }
                tzMinute = m
            }
            let total = tzHour * 60 + tzMinute
            ts.offsetMinutes = negative ? -total : total
        } else {
            return nil
        }
        return i == s.count ? ts : nil
    }

    /// What Python's `date`/`datetime`/`timezone` constructors would reject, in their words.
    var problem: String? {
        if year < 1 { return "year \(year) is out of range" }
        if !(1...12).contains(month) { return "month must be in 1..12" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        if !(1...days).contains(day) { return "day is out of range for month" }
        guard let hour else { return nil }
        if hour > 23 { return "hour must be in 0..23" }
        if minute > 59 { return "minute must be in 0..59" }
        if second > 59 { return "second must be in 0..59" }
        if let offsetMinutes, abs(offsetMinutes) >= 24 * 60 {
            return "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)."
        }
        return nil
    }

    /// Python's `isoformat()`: `2001-12-14`, or `2001-12-14T21:59:43[.ffffff][+HH:MM]`.
    var isoformat: String {
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        guard let hour else { return out }
        out += "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if microsecond != 0 { out += "." + pad(microsecond, 6) }
        if let offsetMinutes {
            out +=
                (offsetMinutes < 0 ? "-" : "+") + pad(abs(offsetMinutes) / 60, 2) + ":"
                + pad(abs(offsetMinutes) % 60, 2)
        }
        return out
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
