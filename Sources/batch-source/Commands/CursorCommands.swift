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
              batch-source cursor create sites --pool demo --batch-size 1,25% --tier canary --tier dc1 --tier dc2 \\
                --bake-seconds 600 --window 'mon-fri 22:00-05:00 Europe/Berlin' --dry-run
              batch-source cursor plan sites
              batch-source cursor events sites --follow
              batch-source cursor pause demo
              batch-source cursor resume demo
              batch-source cursor retry demo --name demo-retry
              batch-source cursor retry demo --name demo-undo --select ok,changed --order newest_first
              batch-source cursor watch demo
            """,
        subcommands: [
            Create.self, List.self, Show.self, Pause.self, Resume.self, Abort.self, Retry.self, Watch.self, Hosts.self,
            Plan.self, Events.self,
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
        @OptionGroup(title: "Rollout safety") var safety: RolloutSafetyOptions
        @Flag(
            name: .customLong("dry-run"),
            help: "Show the batches the cursor would have (tier, number, hosts) and make nothing.")
        var dryRun = false
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
            var settings = CursorSettings(
                pool: pool, limit: limit, order: order ?? .inventory, seed: seed, batchSize: size,
                leaseSeconds: leaseSeconds ?? CursorSettings.defaultLeaseSeconds, maxInFlight: maxInFlight ?? 1,
                ack: ack ?? .explicit, maxFailPercentage: maxFailPercentage, maxFailedHosts: maxFailedHosts,
                pauseAfter: pauses)
            try safety.apply(to: &settings)
            if dryRun {
                let plan: PlanPreview = try await runClient {
                    try await client.post(
                        "/api/v1/cursors", json: CursorCreateRequest(name: name, settings: settings),
                        query: [("dry_run", "true"), ("limit", "1000")])
                }
                if connection.json { return try Output.json(plan) }
                return PlanDisplay.show(plan)
            }
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
        @Option(help: "Why, for the audit trail and whoever looks next.") var reason: String?
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await CursorDisplay.setState(name, "paused", connection, reason: reason) }
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
        @Option(help: "Why, for the audit trail and whoever looks next.") var reason: String?
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await CursorDisplay.setState(name, "aborted", connection, reason: reason) }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new cursor over the failed and unreachable hosts of one (or the hosts it changed).")
        @Argument(help: ArgumentHelp("The cursor whose failed hosts to retry.", valueName: "cursor")) var cursor: String
        @Option(help: ArgumentHelp("The new cursor's name.", valueName: "name")) var name: String
        @Option(
            name: .customLong("batch-size"),
            help: ArgumentHelp("Batch size of the retry (default: the old one's).", valueName: "size")) var batchSize:
            String?
        @Option(
            help: ArgumentHelp(
                "Order of the retry (default: the old plan's): a host order, or newest_first / oldest_first by when "
                    + "their batch completed (newest_first undoes the last first).",
                valueName: "order"))
        var order: String?
        @Option(
            help: ArgumentHelp(
                "The results whose hosts to take (default failed,unreachable); ok,changed for a rollback.",
                valueName: "results"))
        var select: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            var size: BatchSize?
            if let batchSize {
                do { size = try BatchSize(parsing: batchSize) } catch { throw CLIError("--batch-size: \(error)") }
            }
            var retryOrder: RetryOrder?
            if let order {
                do { retryOrder = try JSONDecoder().decode(RetryOrder.self, from: Data("\"\(order)\"".utf8)) } catch {
                    throw CLIError("--order must be one of \(RetryOrder.names.joined(separator: ", ")); got \(order)")
                }
            }
            let statuses = try select.map { text in
                try text.split(separator: ",").map { part in
                    guard let status = HostStatus(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                        throw CLIError("--select takes results ok, changed, failed, unreachable, skipped; got \(text)")
                    }
                    return status
                }
            }
            let info: CursorInfo = try await runClient {
                try await client.post(
                    "/api/v1/cursors/\(ServiceClient.segment(cursor))/retry",
                    json: RetryRequest(name: name, batchSize: size, order: retryOrder, select: statuses))
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
        if let b = s.bakeSeconds { pairs.append(("bake", "\(b) s")) }
        if !s.tiers.isEmpty {
            pairs.append(("tiers", s.tiers.joined(separator: " → ") + (s.pauseBetweenTiers ? " (pause between)" : "")))
        }
        for w in s.windows { pairs.append(("window", w.summary)) }
        for f in s.freezes { pairs.append(("freeze", f.summary)) }
        if let m = s.minWindowLeftSeconds { pairs.append(("min window left", "\(m) s")) }
        for g in s.gates {
            pairs.append(
                ("gate", "\(g.name) (\(g.type.rawValue)) every \(g.intervalSeconds) s, up to \(g.timeoutSeconds) s"))
        }
        if s.cancelOnHalt { pairs.append(("cancel on halt", "yes")) }
        if let r = c.retryOf { pairs.append(("retry of", r)) }
        Output.fields(pairs)
    }

    static func setState(_ name: String, _ state: String, _ connection: ConnectionOptions, reason: String? = nil)
        async throws
    {
        let client = try connection.client()
        var patch: JSONObject = ["state": .string(state)]
        if let reason { patch["state_reason"] = .string(reason) }
        let info: CursorInfo = try await runClient {
            try await client.patch("/api/v1/cursors/\(ServiceClient.segment(name))", mergePatch: patch)
        }
        if connection.json { return try Output.json(info) }
        Output.line("cursor \(info.name) is \(info.state.rawValue)" + (info.stateReason.map { ": \($0)" } ?? ""))
    }
}
