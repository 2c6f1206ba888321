import InventoryModel

/// Cursor answers (`GET /api/v1/cursors/NAME`, what AWX workflows and `cursor watch` poll)
/// kept while the database has not changed and no lease has run out since they were read.
///
/// Only a store that can tell cheaply that nothing changed (``Store/snapshotVersion()``:
/// SQLite's `data_version`, which also sees writes by other processes) gets entries; every
/// write anywhere in the database invalidates all of them.
final class CursorInfoCache: Sendable {
    private struct Entry: Sendable {
        var version: Int
        /// The earliest lease end after the read: from then on the in-flight count is smaller.
        var validUntil: Double
        var info: CursorInfo
    }
    private let entries = BoundedCache<String, Entry>(capacity: 1024)

    func info(_ name: String, version: Int, now: Double) -> CursorInfo? {
        guard let hit = entries[name], hit.version == version, now < hit.validUntil else { return nil }
        return hit.info
    }

    /// Keeps an answer read at `version` (taken before the read began, so the answer is at
    /// least that new).
    func remember(_ info: CursorInfo, name: String, version: Int, validUntil: Double) {
        entries.insert(Entry(version: version, validUntil: validUntil, info: info), for: name)
    }
}
