import Foundation
import InventoryModel

@testable import BatchSource

/// What the tests compare of a cursor.
struct CursorView: Equatable, CustomStringConvertible {
    var state: CursorState
    var hasMore: Bool
    var retryOf: String?
    var progress: CursorProgress

    init(state: CursorState, hasMore: Bool, retryOf: String?, progress: CursorProgress) {
        (self.state, self.hasMore, self.retryOf, self.progress) = (state, hasMore, retryOf, progress)
    }

    init(_ info: CursorInfo) {
        self.init(state: info.state, hasMore: info.hasMore, retryOf: info.retryOf, progress: info.progress)
    }

    var description: String {
        "\(state.rawValue) has_more \(hasMore)\(retryOf.map { " retry of \($0)" } ?? "") \(progress.summary)"
    }
}

extension CursorProgress {
    /// The numbers in one line, for failure messages.
    var summary: String {
        "hosts \(hostsDone)/\(totalHosts) (ok \(hostsOk) changed \(hostsChanged) failed \(hostsFailed)"
            + " unreachable \(hostsUnreachable) skipped \(hostsSkipped)) batches \(batchesCompleted)/\(batchesTotal)"
            + " in flight \(batchesInFlight)"
    }
}
