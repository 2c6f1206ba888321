import Foundation
import InventoryModel

@testable import BatchSource

/// Who a completion, heartbeat or release says it acts for, and its lease options.
struct ModelAttemptCall: Equatable, CustomStringConvertible {
    var consumer: String?
    var claimKey: String?
    var force = false
    /// The admin token's name the engine is given with `force`.
    var forcedBy: String?
    var leaseSeconds: Int?
    var externalRef: String?

    var description: String {
        var parts = [consumer.map { "consumer \($0)" }, claimKey.map { "key \($0)" }].compactMap { $0 }
        if force { parts.append("force by \(forcedBy ?? "nobody")") }
        if let leaseSeconds { parts.append("lease \(leaseSeconds)s") }
        if let externalRef { parts.append("ref \(externalRef)") }
        return parts.isEmpty ? "nobody" : parts.joined(separator: " ")
    }
}

/// A consumer and claim key, as an attempt was claimed.
struct ModelIdentity: Equatable, CustomStringConvertible {
    var consumer: String
    var claimKey: String?
    var description: String { claimKey.map { "\(consumer)/\($0)" } ?? consumer }
}
