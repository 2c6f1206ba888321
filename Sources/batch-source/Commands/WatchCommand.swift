import ArgumentParser
import Foundation
import InventoryModel

extension CursorCommand {
    /// `cursor watch NAME`: a live progress line until the rollout ends.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a cursor's progress live until it is done, halted or aborted.",
            discussion: """
                On a terminal the line is redrawn in place; otherwise (CI logs) a line is \
                printed whenever something changed. Exits 0 when the rollout is done, 1 when it \
                halted or was aborted, with the reason.
                """)
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @Option(help: "Seconds between polls.") var interval: Double = 2
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let path = "/api/v1/cursors/\(ServiceClient.segment(name))"
            let tty = isatty(STDOUT_FILENO) == 1
            var last = ""
            while true {
                let info: CursorInfo = try await runClient { try await client.get(path) }
                let leases: Page<BatchInfo> = try await runClient {
                    try await client.get(path + "/batches", query: [("state", "leased"), ("limit", "5")])
                }
                if connection.json {
                    try Output.json(info)
                } else {
                    let text = Self.render(info, leases: leases.items, width: tty ? 30 : 20)
                    if tty {
                        StandardOutput.write("\r\u{1B}[K\(text)")
                    } else if text != last {
                        Output.line(text)
                    }
                    last = text
                }
                switch info.state {
                case .done:
                    if tty { Output.line("") }
                    return
                case .halted, .aborted:
                    if tty { Output.line("") }
                    throw CLIError(
                        "cursor \(info.name) is \(info.state.rawValue)" + (info.stateReason.map { ": \($0)" } ?? ""))
                case .active, .paused:
                    try await Task.sleep(for: .milliseconds(Int(max(0.2, interval) * 1000)))
                }
            }
        }

        static func render(_ c: CursorInfo, leases: [BatchInfo], width: Int) -> String {
            let p = c.progress
            let fraction = p.totalHosts == 0 ? 1 : Double(p.hostsDone) / Double(p.totalHosts)
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            var text =
                "\(c.name) \(bar) \(p.hostsDone)/\(p.totalHosts) hosts \(Output.percent(p.hostsDone, p.totalHosts)) · "
                + "batches \(p.batchesCompleted)/\(p.batchesTotal) · failed \(p.hostsFailed + p.hostsUnreachable) · "
                + "\(c.state.rawValue)"
            if let lease = leases.first {
                text +=
                    " · batch \(lease.batchId) held by \(lease.consumer ?? "-") until \(lease.leaseExpiresAt ?? "-")"
                if leases.count > 1 { text += " (+\(leases.count - 1) more)" }
            }
            return text
        }
    }
}
