import ArgumentParser
import Foundation
import InventoryModel

extension CursorCommand {
    /// `cursor plan NAME`: the batches a rollout has and will have.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a cursor's batches: those handed out already and those still to come.",
            discussion: """
                Batches not yet made are cut with the cursor's current settings, as a claim \
                would cut them. Before a cursor exists, `cursor create … --dry-run` shows the same.
                """)
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let plan: PlanPreview = try await runClient {
                try await client.get("/api/v1/cursors/\(ServiceClient.segment(name))/plan", query: paging.query)
            }
            if connection.json { return try Output.json(plan) }
            PlanDisplay.show(plan)
        }
    }
}

/// A plan preview for people: the tiers, then one line per batch.
enum PlanDisplay {
    static func show(_ plan: PlanPreview) {
        for warning in plan.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let tiers = plan.tiers.map { "\($0.pattern ?? "(rest)") \($0.hosts)" }.joined(separator: ", ")
        Output.line("\(plan.hosts) hosts in \(plan.total) batches" + (plan.tiers.count > 1 ? "; tiers: \(tiers)" : ""))
        Output.table(
            ["batch", "tier", "hosts", "state", "first hosts"],
            plan.items.map { b in
                [
                    String(b.batch), "\(b.tier) \(b.tierPattern ?? "")".trimmingCharacters(in: .whitespaces),
                    String(b.hostCount), b.state,
                    b.firstHosts.joined(separator: ", ") + (b.hostCount > b.firstHosts.count ? ", …" : ""),
                ]
            })
        if plan.total > plan.offset + plan.items.count {
            Output.line("(\(plan.items.count) of \(plan.total); more with --offset \(plan.offset + plan.items.count))")
        }
    }
}
