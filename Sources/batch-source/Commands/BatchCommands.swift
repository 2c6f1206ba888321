import ArgumentParser
import BatchSource
import Foundation
import InventoryModel

/// `batch-source batch …`: a cursor's batches over the API.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "List, show and complete a cursor's batches (over the API).",
        discussion: """
            Examples:
              batch-source batch list demo --state leased
              batch-source batch show demo 3
              batch-source batch complete demo 3 --consumer alice@laptop
              batch-source batch complete demo 3 --claim-key awx-inventory-update-42 --result web01=failed
              batch-source batch complete demo 3 --force --results-file results.json   # an admin, for its holder
              batch-source batch release demo 4 --force      # an admin gives a held batch back unfinished
            """,
        subcommands: [List.self, Show.self, Complete.self, Release.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a cursor's batches that were handed out.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "cursor")) var cursor: String
        @Option(help: ArgumentHelp("leased, completed or available (released or expired).", valueName: "state"))
        var state: BatchState?
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let page: Page<BatchInfo> = try await runClient {
                try await client.get(
                    "/api/v1/cursors/\(ServiceClient.segment(cursor))/batches",
                    query: [("state", state?.rawValue)] + paging.query)
            }
            if connection.json { return try Output.json(page) }
            Output.table(
                ["batch", "state", "hosts", "attempt", "consumer", "lease expires / completed"],
                page.items.map { b in
                    [
                        String(b.batchId), b.state.rawValue, String(b.hosts.count), String(b.attempt),
                        b.consumer ?? "-",
                        b.completedAt ?? b.leaseExpiresAt ?? "-",
                    ]
                })
            Output.pageNote(page)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one batch: its hosts, holder and results.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "cursor")) var cursor: String
        @Argument(help: ArgumentHelp("The batch number (1-based).", valueName: "batch")) var batch: Int
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let b: BatchInfo = try await runClient {
                try await client.get("/api/v1/cursors/\(ServiceClient.segment(cursor))/batches/\(batch)")
            }
            if connection.json { return try Output.json(b) }
            BatchDisplay.show(b)
        }
    }

    struct Complete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Complete a batch; hosts not named count as ok.",
            discussion: """
                --results-file takes JSON: either {"results": {"host": "failed", …}} or AWX's \
                host summaries {"host_summaries": {"host": {"ok": 3, "failures": 1, …}}}.
                """)
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "cursor")) var cursor: String
        @Argument(help: ArgumentHelp("The batch number.", valueName: "batch")) var batch: Int
        @Option(
            help: ArgumentHelp(
                "A host's result: HOST=ok|changed|failed|unreachable|skipped (repeatable).", valueName: "host=result"))
        var result: [String] = []
        @Option(
            name: .customLong("results-file"),
            help: ArgumentHelp("A JSON file of results (see above); `-` reads stdin.", valueName: "file"))
        var resultsFile: String?
        @OptionGroup var holder: HolderOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            var request = CompleteRequest()
            if let resultsFile {
                do {
                    request = try Wire.decoder.decode(CompleteRequest.self, from: Data(try readInput(resultsFile).utf8))
                } catch let e as CLIError {
                    throw e
                } catch {
                    throw CLIError("\(resultsFile): \(DecodingMessage.describe(error))")
                }
            }
            request.consumer = request.consumer ?? holder.consumer
            request.claimKey = request.claimKey ?? holder.claimKey
            request.force = request.force || holder.force
            try holder.check(request, doing: "complete")
            for item in result {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let status = HostStatus(rawValue: String(parts[1])) else {
                    throw CLIError("--result \(item): use HOST=ok|changed|failed|unreachable|skipped")
                }
                request.results[String(parts[0])] = status
            }
            let b: BatchInfo = try await runClient {
                try await client.post(
                    "/api/v1/cursors/\(ServiceClient.segment(cursor))/batches/\(batch)/complete", json: request)
            }
            if connection.json { return try Output.json(b) }
            BatchDisplay.show(b)
        }
    }
}

extension BatchCommand {
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a held batch back unfinished; the next claim takes it up again (attempt + 1).")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "cursor")) var cursor: String
        @Argument(help: ArgumentHelp("The batch number.", valueName: "batch")) var batch: Int
        @OptionGroup var holder: HolderOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let request = LeaseRequest(consumer: holder.consumer, claimKey: holder.claimKey, force: holder.force)
            try holder.check(request, doing: "release")
            let b: BatchInfo = try await runClient {
                try await client.post(
                    "/api/v1/cursors/\(ServiceClient.segment(cursor))/batches/\(batch)/release", json: request)
            }
            if connection.json { return try Output.json(b) }
            Output.line("batch \(b.batchId) of cursor \(cursor) released; it is \(b.state.rawValue) for the next claim")
        }
    }
}

enum BatchDisplay {
    static func show(_ b: BatchInfo) {
        var pairs: [(String, String)] = [
            ("batch", String(b.batchId)), ("state", b.state.rawValue), ("attempt", String(b.attempt)),
            ("consumer", b.consumer ?? "-"),
        ]
        if let key = b.claimKey { pairs.append(("claim key", key)) }
        if let ref = b.externalRef { pairs.append(("external ref", ref)) }
        if let lease = b.leaseExpiresAt { pairs.append(("lease expires", lease)) }
        if let done = b.completedAt { pairs.append(("completed", done)) }
        pairs.append(("hosts", "\(b.hosts.count)"))
        Output.fields(pairs)
        Output.table(
            ["host", "result"], b.hosts.map { [$0, b.results?[$0]?.rawValue ?? (b.state == .completed ? "ok" : "-")] })
    }
}
