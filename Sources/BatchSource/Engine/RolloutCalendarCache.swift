import InventoryModel

/// Calendars of cursors' windows and freezes by the settings that make them: a claim on a
/// cursor with windows judges them every time, and they rarely change.
enum RolloutCalendarCache {
    private struct Key: Hashable, Sendable {
        var windows: [WeeklyWindow]
        var freezes: [Freeze]
        var minWindowLeftSeconds: Int?
    }
    private static let entries = BoundedCache<Key, RolloutCalendar>(capacity: 1024)

    static func calendar(for settings: CursorSettings) throws -> RolloutCalendar {
        let key = Key(
            windows: settings.windows, freezes: settings.freezes, minWindowLeftSeconds: settings.minWindowLeftSeconds)
        return try entries.value(for: key) {
            try RolloutCalendar(
                windows: key.windows, freezes: key.freezes, minWindowLeftSeconds: key.minWindowLeftSeconds)
        }
    }
}
