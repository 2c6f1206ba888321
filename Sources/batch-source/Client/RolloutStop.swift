import InventoryModel

/// Why `drive` and `play` must stop the work they follow: the cursor was aborted, or it halted
/// and its `cancel_on_halt` says so.
enum RolloutStop {
    /// The reason, or nil to go on; a failed look is no reason (the next one looks again).
    static func reason(_ service: ServiceClient, cursorPath: String, cursor: String) async -> String? {
        guard let info: CursorInfo = try? await service.get(cursorPath) else { return nil }
        let why = info.stateReason.map { ": \($0)" } ?? ""
        switch info.state {
        case .aborted: return "cursor \(cursor) was aborted\(why)"
        case .halted where info.settings.cancelOnHalt: return "cursor \(cursor) halted\(why) (cancel_on_halt)"
        default: return nil
        }
    }
}
