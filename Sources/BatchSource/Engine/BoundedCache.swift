import DequeModule
import Synchronization

/// A thread-safe cache with a bound on its entries' total cost; when an insert goes past the
/// bound, the oldest entries go first. Every cache of the service is one of these:
///
/// | cache | key | why it is safe |
/// | --- | --- | --- |
/// | ``RevisionCache`` group tables, inventories | pool revision id | revisions never change |
/// | ``CursorService`` batch inventories | cursor id, batch number | a batch's hosts never change; ids are never reused |
/// | ``CursorInfoCache`` cursor answers | cursor name | kept only while SQLite's `data_version` has not moved |
/// | ``CursorSettingsCache`` decoded settings | the stored settings text | the same text always decodes the same |
/// | ``RolloutCalendarCache`` window calendars | windows, freezes, min_window_left_seconds | the same rules give the same calendar |
/// | ``TokenService`` verified tokens | the bearer header | for 5 s, so a revocation reaches every replica in 5 s |
/// | ``PlaceholderTranslation`` SQL text | the engine's SQL | the same SQL always translates the same |
///
/// The bound keeps memory flat whatever the callers do; none of these caches needs to be
/// exact about which entry goes first.
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entries {
        var values: [Key: (value: Value, cost: Int, serial: Int)] = [:]
        /// Insertion order, oldest first; an item whose serial is not its key's any more was
        /// replaced or removed since, and is skipped.
        var order: Deque<(key: Key, serial: Int)> = []
        var cost = 0
        var serial = 0
    }

    private let entries = Mutex(Entries())
    /// The most the entries may cost together.
    let capacity: Int

    /// - Parameter capacity: the bound on the entries' total cost (by default each entry costs
    ///   1, so this is the number of entries).
    init(capacity: Int) {
        precondition(capacity > 0, "a cache needs room for at least one entry")
        self.capacity = capacity
    }

    subscript(key: Key) -> Value? {
        entries.withLock { $0.values[key]?.value }
    }

    /// Keeps `value` for `key`, replacing what was there; a value costing more than a quarter
    /// of the capacity is not kept, so that one large entry cannot flush out all the others.
    func insert(_ value: Value, for key: Key, cost: Int = 1) {
        guard cost <= max(1, capacity / 4) else { return }
        entries.withLock { e in
            e.serial += 1
            if let old = e.values.updateValue((value, cost, e.serial), forKey: key) { e.cost -= old.cost }
            e.order.append((key, e.serial))
            e.cost += cost
            while e.cost > capacity, let oldest = e.order.popFirst() {
                guard e.values[oldest.key]?.serial == oldest.serial else { continue }
                if let gone = e.values.removeValue(forKey: oldest.key) { e.cost -= gone.cost }
            }
            // Skipped items are dropped now and then, so the order never outgrows the entries.
            if e.order.count > 2 * e.values.count + 16 {
                e.order = Deque(e.order.filter { e.values[$0.key]?.serial == $0.serial })
            }
        }
    }

    /// The value for `key`, made by `make` and kept when there is none.
    func value(for key: Key, cost: (Value) -> Int = { _ in 1 }, make: () throws -> Value) rethrows -> Value {
        if let hit = self[key] { return hit }
        let made = try make()
        insert(made, for: key, cost: cost(made))
        return made
    }

    /// ``value(for:cost:make:)`` for a value that takes a suspension to make.
    func value(for key: Key, cost: (Value) -> Int = { _ in 1 }, make: () async throws -> Value) async rethrows -> Value
    {
        if let hit = self[key] { return hit }
        let made = try await make()
        insert(made, for: key, cost: cost(made))
        return made
    }

    func removeValue(for key: Key) {
        entries.withLock { e in
            if let gone = e.values.removeValue(forKey: key) { e.cost -= gone.cost }
        }
    }

    var count: Int { entries.withLock { $0.values.count } }
}
