import Foundation
import InventoryModel

@testable import BatchSource

/// What the tests compare of a batch: the engine's ``BatchInfo`` without its inventory.
struct BatchView: Equatable, CustomStringConvertible {
    var batchId: Int
    var state: BatchState
    var attempt: Int
    var consumer: String?
    var claimKey: String?
    var leaseExpiresAt: String?
    var externalRef: String?
    var hosts: [String]
    var results: [String: HostStatus]?
    var completedAt: String?

    init(
        batchId: Int, state: BatchState, attempt: Int, consumer: String?, claimKey: String?, leaseExpiresAt: String?,
        externalRef: String?, hosts: [String], results: [String: HostStatus]?, completedAt: String?
    ) {
        self.batchId = batchId
        self.state = state
        self.attempt = attempt
        self.consumer = consumer
        self.claimKey = claimKey
        self.leaseExpiresAt = leaseExpiresAt
        self.externalRef = externalRef
        self.hosts = hosts
        self.results = results
        self.completedAt = completedAt
    }

    init(_ info: BatchInfo) {
        self.init(
            batchId: info.batchId, state: info.state, attempt: info.attempt, consumer: info.consumer,
            claimKey: info.claimKey, leaseExpiresAt: info.leaseExpiresAt, externalRef: info.externalRef,
            hosts: info.hosts, results: info.results, completedAt: info.completedAt)
    }

    var description: String {
        let failures = (results ?? [:]).filter { $0.value != .ok }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.rawValue)" }
        return "batch \(batchId) \(state.rawValue) attempt \(attempt) by \(consumer ?? "-")/\(claimKey ?? "-")"
            + " lease \(leaseExpiresAt ?? "-") ref \(externalRef ?? "-") hosts \(hosts.joined(separator: ","))"
            + (results == nil ? "" : " results [\(failures.joined(separator: " "))] at \(completedAt ?? "-")")
    }
}
