import ArgumentParser
import Foundation
import InventoryModel

/// `batch-source cursor …`: rollouts over the API.
struct CursorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cursor",
        abstract: "Create, list, show, pause, resume, abort, retry and watch cursors (rollouts).",
        discussion: """
            A cursor is a rollout over one pool revision, handed out batch by batch. Its \
            settings' flags are the API's names in kebab-case.

            Examples:
              batch-source cursor create demo --pool demo --batch-size 10%
              batch-source cursor create canary --pool demo --batch-size 1,5,20% --pause-after 1 --max-fail-percentage 10
              batch-source cursor create fast --pool demo --batch-size 50 --ack auto --max-in-flight 4
              batch-source cursor pause demo
              batch-source cursor resume demo
              batch-source cursor retry demo --name demo-retry
              batch-source cursor watch demo
            """,
        subcommands: [
            Create.self, List.self, Show.self, Pause.self, Resume.self, Abort.self, Retry.self, Watch.self, Hosts.self,
        ]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a cursor over a pool's current revision.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("The pool to roll out over.", valueName: "pool")) var pool: String
        @Option(
            name: .customLong("batch-size"),
            help: ArgumentHelp(
                "Hosts per batch as Ansible `serial`: 25, 10%, or a ramp 1,5,20% whose last item repeats.",
                valueName: "size"))
        var batchSize: String
        @Option(help: ArgumentHelp("An Ansible --limit pattern selecting the pool's hosts.", valueName: "pattern"))
        var limit: String?
        @Option(
            help: ArgumentHelp(
                "inventory (default), reverse_inventory, sorted, reverse_sorted or shuffle.", valueName: "order"))
        var order: HostOrder?
        @Option(help: ArgumentHelp("Seed of the shuffle order (same seed, same order).", valueName: "seed")) var seed:
            String?
        @Option(
            name: .customLong("lease-seconds"),
            help: "How long a claimed batch is held without a heartbeat (default 3600).") var leaseSeconds: Int?
        @Option(
            name: .customLong("max-in-flight"), help: "Batches out at once (default 1: strictly one after another).")
        var maxInFlight: Int?
        @Option(
            help: ArgumentHelp(
                "explicit (default: a batch is done when completed) or auto (the next claim completes it).",
                valueName: "mode")) var ack: AckMode?
        @Option(
            name: .customLong("max-fail-percentage"),
            help: "Halt when more than this percentage of a batch fails (as Ansible's max_fail_percentage).")
        var maxFailPercentage: Double?
        @Option(
            name: .customLong("max-failed-hosts"), help: "Halt when more hosts than this failed over the whole rollout."
        ) var maxFailedHosts: Int?
        @Option(
            name: .customLong("pause-after"),
            help: ArgumentHelp("Pause after these batch numbers complete, e.g. 1 or 1,3.", valueName: "batches"))
        var pauseAfter: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let size: BatchSize
            do { size = try BatchSize(parsing: batchSize) } catch { throw CLIError("--batch-size: \(error)") }
            var pauses: [Int] = []
            if let pauseAfter {
                for part in pauseAfter.split(separator: ",") {
                    guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1 else {
                        throw CLIError("--pause-after must list batch numbers ≥ 1 like 1 or 1,3; got \(pauseAfter)")
                    }
                    pauses.append(n)
                }
            }
            let settings = CursorSettings(
                pool: pool, limit: limit, order: order ?? .inventory, seed: seed, batchSize: size,
                leaseSeconds: leaseSeconds ?? CursorSettings.defaultLeaseSeconds, maxInFlight: maxInFlight ?? 1,
                ack: ack ?? .explicit, maxFailPercentage: maxFailPercentage, maxFailedHosts: maxFailedHosts,
                pauseAfter: pauses)
            let info: CursorInfo = try await runClient {
                try await client.post("/api/v1/cursors", json: CursorCreateRequest(name: name, settings: settings))
            }
            if connection.json { return try Output.json(info) }
            CursorDisplay.show(info)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cursors.")
        @Option(
            help: ArgumentHelp("Only cursors in this state: active, paused, halted, aborted, done.", valueName: "state")
        ) var state: CursorState?
        @Option(help: ArgumentHelp("Only cursors over this pool.", valueName: "pool")) var pool: String?
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let page: Page<CursorInfo> = try await runClient {
                try await client.get(
                    "/api/v1/cursors", query: [("state", state?.rawValue), ("pool", pool)] + paging.query)
            }
            if connection.json { return try Output.json(page) }
            Output.table(
                ["name", "pool", "state", "hosts done", "batches", "in flight", "failed"],
                page.items.map { c in
                    [
                        c.name, "\(c.settings.pool)@\(c.poolRevision)", c.state.rawValue,
                        "\(c.progress.hostsDone)/\(c.progress.totalHosts)",
                        "\(c.progress.batchesCompleted)/\(c.progress.batchesTotal)", String(c.progress.batchesInFlight),
                        String(c.progress.hostsFailed + c.progress.hostsUnreachable),
                    ]
                })
            Output.pageNote(page)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cursor's settings, state and progress.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let info: CursorInfo = try await runClient {
                try await client.get("/api/v1/cursors/\(ServiceClient.segment(name))")
            }
            if connection.json { return try Output.json(info) }
            CursorDisplay.show(info)
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pause a cursor: no new batches until resumed (batches out stay out).")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await CursorDisplay.setState(name, "paused", connection) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused or halted cursor.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await CursorDisplay.setState(name, "active", connection) }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Abort a cursor for good (its pool can then be deleted).")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await CursorDisplay.setState(name, "aborted", connection) }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new cursor over the failed and unreachable hosts of one.")
        @Argument(help: ArgumentHelp("The cursor whose failed hosts to retry.", valueName: "cursor")) var cursor: String
        @Option(help: ArgumentHelp("The new cursor's name.", valueName: "name")) var name: String
        @Option(
            name: .customLong("batch-size"),
            help: ArgumentHelp("Batch size of the retry (default: the old one's).", valueName: "size")) var batchSize:
            String?
        @Option(help: ArgumentHelp("Order of the retry (default: the old plan's).", valueName: "order")) var order:
            HostOrder?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            var size: BatchSize?
            if let batchSize {
                do { size = try BatchSize(parsing: batchSize) } catch { throw CLIError("--batch-size: \(error)") }
            }
            let info: CursorInfo = try await runClient {
                try await client.post(
                    "/api/v1/cursors/\(ServiceClient.segment(cursor))/retry",
                    json: RetryRequest(name: name, batchSize: size, order: order))
            }
            if connection.json { return try Output.json(info) }
            CursorDisplay.show(info)
        }
    }

    struct Hosts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a cursor's hosts, e.g. the failed ones.")
        @Argument(help: ArgumentHelp("The cursor's name.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("ok, changed, failed, unreachable, skipped or pending.", valueName: "result"))
        var result: String?
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let page: Page<CursorHost> = try await runClient {
                try await client.get(
                    "/api/v1/cursors/\(ServiceClient.segment(name))/hosts",
                    query: [("result", result)] + paging.query)
            }
            if connection.json { return try Output.json(page) }
            Output.table(
                ["host", "batch", "result"],
                page.items.map { [$0.name, $0.batchId.map(String.init) ?? "-", $0.status?.rawValue ?? "pending"] })
            Output.pageNote(page)
        }
    }
}

extension HostOrder: ExpressibleByArgument {}
extension AckMode: ExpressibleByArgument {}
extension CursorState: ExpressibleByArgument {}
extension BatchState: ExpressibleByArgument {}
extension HostStatus: ExpressibleByArgument {}

/// How a cursor looks to people.
enum CursorDisplay {
    static func show(_ c: CursorInfo) {
        let p = c.progress
        let s = c.settings
        var pairs: [(String, String)] = [
            ("cursor", c.name), ("pool", "\(s.pool) revision \(c.poolRevision)"),
            ("state", c.state.rawValue + (c.stateReason.map { " (\($0))" } ?? "")),
            ("hosts done", "\(p.hostsDone)/\(p.totalHosts) (\(Output.percent(p.hostsDone, p.totalHosts)))"),
            (
                "results",
                "ok \(p.hostsOk), changed \(p.hostsChanged), failed \(p.hostsFailed), unreachable "
                    + "\(p.hostsUnreachable), skipped \(p.hostsSkipped)"
            ),
            ("batches", "\(p.batchesCompleted)/\(p.batchesTotal) completed, \(p.batchesInFlight) in flight"),
            ("has more", c.hasMore ? "yes" : "no"),
            ("batch size", s.batchSize.description),
            ("order", s.order.rawValue + (s.seed.map { " (seed \($0))" } ?? "")),
            ("ack", s.ack.rawValue), ("max in flight", String(s.maxInFlight)), ("lease", "\(s.leaseSeconds) s"),
        ]
        if let limit = s.limit { pairs.append(("limit", limit)) }
        if let v = s.maxFailPercentage { pairs.append(("max fail %", v.formatted())) }
        if let v = s.maxFailedHosts { pairs.append(("max failed hosts", String(v))) }
        if !s.pauseAfter.isEmpty { pairs.append(("pause after", s.pauseAfter.map(String.init).joined(separator: ","))) }
        if let r = c.retryOf { pairs.append(("retry of", r)) }
        Output.fields(pairs)
    }

    static func setState(_ name: String, _ state: String, _ connection: ConnectionOptions) async throws {
        let client = try connection.client()
        let info: CursorInfo = try await runClient {
            try await client.patch(
                "/api/v1/cursors/\(ServiceClient.segment(name))", mergePatch: ["state": .string(state)])
        }
        if connection.json { return try Output.json(info) }
        Output.line("cursor \(info.name) is \(info.state.rawValue)" + (info.stateReason.map { ": \($0)" } ?? ""))
    }
}
