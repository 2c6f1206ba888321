import Foundation
import Synchronization

/// The clock a store judges time by: lease ends, and every other "now" the engine asks its
/// store for (``StoreTransaction/now()``, ``StoreTransaction/nowArgument()``).
///
/// ``system`` is the production clock and costs nothing over asking the time directly: on
/// SQLite it is this process's clock, on PostgreSQL the database server's (`clock_timestamp()`,
/// so that replicas agree). A ``manual(at:)`` clock stands still until it is ``set(to:)`` or
/// ``advance(by:)``, and on PostgreSQL it replaces the server's clock in every statement too,
/// so that tests (and features judged by the calendar, such as maintenance windows) can put a
/// store at any moment without waiting for it.
///
/// A clock is given to ``SQLiteStore/init(path:clock:)`` or ``PostgresStore/open(_:logger:clock:)``;
/// copies share one time, so the caller keeps a copy to move it.
public struct StoreClock: Sendable {
    /// The manual time, shared by every copy; nil for the system clock.
    private let manual: ManualTime?

    /// The real clock: this process's on SQLite, the database server's on PostgreSQL.
    public static let system = StoreClock(manual: nil)

    /// A clock that shows `start` until it is set or advanced.
    public static func manual(at start: Date) -> StoreClock {
        StoreClock(manual: ManualTime(start.timeIntervalSince1970))
    }

    private init(manual: ManualTime?) { self.manual = manual }

    /// Whether this clock is set by hand (so the database's own clock must not be used).
    public var isManual: Bool { manual != nil }

    /// The time of a manual clock; nil for the system clock, whose time is the store's to read.
    public var manualTime: Date? { manual.map { Date(timeIntervalSince1970: $0.seconds.withLock { $0 }) } }

    /// This process's reading of the clock: the manual time, or `Date()` (which on PostgreSQL
    /// may differ a little from the server's, so lease decisions read ``StoreTransaction/now()``).
    public func now() -> Date { manualTime ?? Date() }

    /// Sets a manual clock to `date` (earlier times are allowed: a test may go back).
    public func set(to date: Date) {
        guard let manual else { preconditionFailure("the system clock cannot be set") }
        manual.seconds.withLock { $0 = date.timeIntervalSince1970 }
    }

    /// Moves a manual clock on by `seconds`.
    public func advance(by seconds: TimeInterval) {
        guard let manual else { preconditionFailure("the system clock cannot be advanced") }
        manual.seconds.withLock { $0 += seconds }
    }
}

/// The time of a manual clock, behind a lock, since stores read it from many threads.
private final class ManualTime: Sendable {
    let seconds: Mutex<Double>
    init(_ seconds: Double) { self.seconds = Mutex(seconds) }
}
