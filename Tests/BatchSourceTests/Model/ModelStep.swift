import Foundation
import InventoryModel

@testable import BatchSource

/// One call of the model test, as it is made to the engine and to the model.
enum ModelStep: CustomStringConvertible {
    case create(String, CursorSettings, plan: [String])
    case claim(String, ModelIdentity, ackOverride: AckMode?)
    case peek(String, consumer: String?, claimKey: String?)
    case complete(String, batch: Int, [String: HostStatus], ModelAttemptCall)
    case heartbeat(String, batch: Int, ModelAttemptCall)
    case release(String, batch: Int, ModelAttemptCall)
    case patch(String, ModelPatch)
    case retry(String, as: String, batchSize: String?)
    case advance(Double)

    /// The cursor the step reads or changes; nil when it is the clock, which touches them all.
    var cursor: String? {
        switch self {
        case .create(let c, _, _), .claim(let c, _, _), .peek(let c, _, _), .complete(let c, _, _, _),
            .heartbeat(let c, _, _), .release(let c, _, _), .patch(let c, _):
            return c
        case .retry(_, let new, _): return new
        case .advance: return nil
        }
    }

    var description: String {
        switch self {
        case .create(let c, let s, let plan):
            return "create \(c): batch_size \(s.batchSize) max_in_flight \(s.maxInFlight) ack \(s.ack.rawValue)"
                + " lease \(s.leaseSeconds)s max_fail_percentage \(s.maxFailPercentage.map { "\($0)" } ?? "-")"
                + " max_failed_hosts \(s.maxFailedHosts.map(String.init) ?? "-") pause_after \(s.pauseAfter)"
                + " limit \(s.limit ?? "-") order \(s.order.rawValue), \(plan.count) hosts"
        case .claim(let c, let who, let ack):
            return "claim \(c) as \(who)" + (ack.map { " (ack \($0.rawValue))" } ?? "")
        case .peek(let c, let consumer, let key): return "peek \(c) as \(consumer ?? "-")/\(key ?? "-")"
        case .complete(let c, let b, let results, let call):
            let named = results.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
            return "complete \(c) batch \(b) as \(call) [\(named.joined(separator: " "))]"
        case .heartbeat(let c, let b, let call): return "heartbeat \(c) batch \(b) as \(call)"
        case .release(let c, let b, let call): return "release \(c) batch \(b) as \(call)"
        case .patch(let c, let patch): return "patch \(c) \(patch)"
        case .retry(let c, let new, let size): return "retry \(c) as \(new)" + (size.map { " batch_size \($0)" } ?? "")
        case .advance(let s): return "advance the clock \(s) s"
        }
    }
}
