import Foundation
import InventoryModel

extension CursorService {
    /// An operator's own words for a pause or an abort (`state_reason` beside `state` in a
    /// patch), kept after the service's, so whoever looks next learns why.
    static func explain(_ c: inout CursorRow, _ reason: JSONValue?, to target: CursorState) throws {
        guard let reason, reason != .null else { return }
        guard case .string(let text) = reason else { throw EngineError.invalid("state_reason must be a string") }
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty else { return }
        guard words.count <= 500 else {
            throw EngineError.invalid("state_reason holds at most 500 characters, got \(words.count)")
        }
        guard target == .paused || target == .aborted, c.state == target else {
            throw EngineError.invalid("state_reason explains a pause or an abort, not \(target.rawValue)")
        }
        c.stateReason = "\(target == .aborted ? "aborted" : "paused") by an operator: \(words)"
    }
}
