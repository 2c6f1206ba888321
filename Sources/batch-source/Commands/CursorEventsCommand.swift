import ArgumentParser
import BatchSource
import Foundation
import InventoryModel

extension CursorCommand {
    /// `cursor events NAME [--follow]`: the audit trail.
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a cursor's audit trail: every state change, oldest first, with who made it.",
            discussion: """
                With --follow, new events are printed as they happen until the cursor is done or \
                aborted (or you stop it); with --json, one JSON object per line.
                """)
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @Option(help: "Only events after this number.") var after: Int = 0
        @Flag(help: "Keep printing new events.") var follow = false
        @Option(help: "Seconds between polls with --follow.") var interval: Double = 2
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let path = "/api/v1/cursors/\(ServiceClient.segment(name))"
            var seen = after
            while true {
                // The state first: once it is finished, the events read after it are the last.
                let info: CursorInfo? = follow ? try await runClient { try await client.get(path) } : nil
                let page: Page<CursorEvent> = try await runClient {
                    try await client.get(path + "/events", query: [("after", String(seen)), ("limit", "1000")])
                }
                for event in page.items {
                    if connection.json {
                        Output.line(String(decoding: try Wire.encoder.encode(event), as: UTF8.self))
                    } else {
                        Output.line(Self.render(event))
                    }
                    seen = event.seq
                }
                if page.items.count == page.limit { continue }
                guard let info, !info.state.isFinished else { return }
                try await Task.sleep(for: .milliseconds(Int(max(0.2, interval) * 1000)))
            }
        }

        /// `2026-12-02T10:00:00.000Z #7 completed batch 3 by awx: ok 9, failed 1`.
        static func render(_ e: CursorEvent) -> String {
            var text = "\(e.at) #\(e.seq) \(e.kind.rawValue)"
            if let batch = e.batch { text += " batch \(batch)" }
            if let actor = e.actor { text += " by \(actor)" }
            var facts: [String] = []
            for (key, value) in e.details ?? [:] {
                switch value {
                case .null: continue
                case .int(0) where HostStatus(rawValue: key) != nil: continue
                case .string(let s): if key != "evidence" || e.reason == nil { facts.append("\(key) \(s)") }
                default: facts.append("\(key) \(JSONWriter(indent: nil, sortKeys: true).string(value))")
                }
            }
            if !facts.isEmpty { text += ": " + facts.joined(separator: ", ") }
            if let reason = e.reason { text += " (\(reason))" }
            return text
        }
    }
}
