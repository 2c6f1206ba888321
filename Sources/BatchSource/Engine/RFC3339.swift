import Foundation

/// Times on the wire: RFC 3339, UTC, with milliseconds (`2026-11-22T10:00:00.123Z`).
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    public static func string(fromEpoch seconds: Double) -> String {
        string(from: Date(timeIntervalSince1970: seconds))
    }

    public static func date(from text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
