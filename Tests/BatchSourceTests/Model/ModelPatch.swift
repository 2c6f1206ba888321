import Foundation
import InventoryModel

@testable import BatchSource

/// A cursor PATCH: settings that shape batches not yet out, and a state with its reason.
struct ModelPatch: Equatable, CustomStringConvertible {
    var settings: [String: JSONValue] = [:]
    var state: CursorState?
    var reason: String?

    /// The JSON Merge Patch body the engine gets.
    var body: JSONObject {
        var o = JSONObject()
        for key in settings.keys.sorted() { o[key] = settings[key] }
        if let state { o["state"] = .string(state.rawValue) }
        if let reason { o["state_reason"] = .string(reason) }
        return o
    }

    var description: String { JSONWriter(indent: nil, sortKeys: true).string(.object(body)) }

    /// The settings as the patch leaves them (null removes an optional setting).
    func apply(to s: inout CursorSettings) {
        for (key, value) in settings {
            switch (key, value) {
            case ("batch_size", _):
                let items = if case .array(let list) = value { list } else { [value] }
                let text = items.map { item in
                    switch item {
                    case .int(let n): String(n)
                    case .string(let s): s
                    default: preconditionFailure("the model does not patch batch_size with \(item)")
                    }
                }
                s.batchSize = try! BatchSize(parsing: text.joined(separator: ","))
            case ("lease_seconds", .int(let n)): s.leaseSeconds = Int(n)
            case ("max_in_flight", .int(let n)): s.maxInFlight = Int(n)
            case ("ack", .string(let mode)): s.ack = AckMode(rawValue: mode)!
            case ("max_fail_percentage", .null): s.maxFailPercentage = nil
            case ("max_fail_percentage", .int(let n)): s.maxFailPercentage = Double(n)
            case ("max_failed_hosts", .null): s.maxFailedHosts = nil
            case ("max_failed_hosts", .int(let n)): s.maxFailedHosts = Int(n)
            case ("pause_after", .array(let items)):
                s.pauseAfter = items.compactMap { if case .int(let n) = $0 { Int(n) } else { nil } }
            default: preconditionFailure("the model does not patch \(key) with \(value)")
            }
        }
    }
}
