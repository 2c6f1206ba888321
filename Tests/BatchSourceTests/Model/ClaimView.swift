import Foundation
import InventoryModel

@testable import BatchSource

/// What the tests compare of a claim's answer.
struct ClaimView: Equatable, CustomStringConvertible {
    var cursorState: CursorState
    var hasMore: Bool
    var batch: BatchView?
    var progress: CursorProgress

    init(cursorState: CursorState, hasMore: Bool, batch: BatchView?, progress: CursorProgress) {
        (self.cursorState, self.hasMore, self.batch, self.progress) = (cursorState, hasMore, batch, progress)
    }

    init(_ response: ClaimResponse) {
        self.init(
            cursorState: response.cursorState, hasMore: response.hasMore, batch: response.batch.map(BatchView.init),
            progress: response.progress)
    }

    var description: String {
        "\(cursorState.rawValue) has_more \(hasMore) \(batch.map(\.description) ?? "no batch") \(progress.summary)"
    }
}
