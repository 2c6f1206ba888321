import Foundation
import InventoryModel

@testable import BatchSource

/// A batch of the reference model: what DESIGN.md says a batch holds, as plain values.
struct ModelBatch: Equatable {
    var id: Int
    var hosts: [String]
    /// As stored: a lease that ran out is still leased until a claim takes the batch over.
    var state: BatchState
    var attempt: Int
    var consumer: String?
    var claimKey: String?
    var leaseEnd: Double?
    var externalRef: String?
    var results: [String: HostStatus]?
    var completedAt: Double?
    /// Who held the batch before its current attempt (for the generator's stale identities).
    var earlierHolders: [ModelIdentity] = []

    func effectiveState(at now: Double) -> BatchState {
        state == .leased && (leaseEnd ?? 0) <= now ? .available : state
    }

    func view(at now: Double) -> BatchView {
        BatchView(
            batchId: id, state: effectiveState(at: now), attempt: attempt, consumer: consumer, claimKey: claimKey,
            leaseExpiresAt: state == .completed ? nil : leaseEnd.map(RFC3339.string(fromEpoch:)),
            externalRef: externalRef, hosts: hosts, results: state == .completed ? results : nil,
            completedAt: completedAt.map(RFC3339.string(fromEpoch:)))
    }
}
