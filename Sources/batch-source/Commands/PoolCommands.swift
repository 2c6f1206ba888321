import ArgumentParser
import Foundation
import InventoryModel

/// `batch-source pool …`: pools over the API.
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Import, list, show and delete host pools (over the API).",
        discussion: """
            A pool is a named inventory; every import makes a new immutable revision, and a \
            cursor stays on the revision it was made on.

            Examples:
              batch-source pool import demo fixtures/pools/demo.yml
              ansible-inventory -i aws_ec2.yml --list --export | batch-source pool import fleet - --format json
              batch-source pool list
              batch-source pool show demo
              batch-source pool hosts demo --pattern 'web:&dc1'
            """,
        subcommands: [Import.self, List.self, Show.self, Hosts.self, Delete.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an inventory file as a new revision of a pool.")
        @Argument(help: ArgumentHelp("The pool's name.", valueName: "name")) var name: String
        @Argument(
            help: ArgumentHelp("Script JSON, YAML or INI inventory; `-` reads standard input.", valueName: "file"))
        var file: String
        @Option(help: ArgumentHelp("json, yaml or ini, instead of detecting it.", valueName: "format")) var format:
            InventoryFormat?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            var client = try connection.client()
            client.timeout = .minutes(30)  // a 1M-host pool takes a while to parse and store
            let text = try readInput(file)
            let source = file == "-" ? nil : (file as NSString).lastPathComponent
            let info: PoolInfo = try await runClient {
                try await client.put(
                    "/api/v1/pools/\(ServiceClient.segment(name))", body: Data(text.utf8),
                    contentType: "text/plain; charset=utf-8",
                    query: [("format", format?.rawValue), ("source", source)])
            }
            if connection.json { return try Output.json(info) }
            Output.line(
                "pool \(info.name) revision \(info.revision): \(info.hostCount) hosts, \(info.groupCount) groups "
                    + "(\(info.format.rawValue))"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pools.")
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let page: Page<PoolInfo> = try await runClient {
                try await client.get("/api/v1/pools", query: paging.query)
            }
            if connection.json { return try Output.json(page) }
            Output.table(
                ["name", "revision", "hosts", "groups", "format", "updated"],
                page.items.map {
                    [
                        $0.name, String($0.revision), String($0.hostCount), String($0.groupCount), $0.format.rawValue,
                        $0.updatedAt,
                    ]
                })
            Output.pageNote(page)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a pool's current revision.")
        @Argument(help: ArgumentHelp("The pool's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let info: PoolInfo = try await runClient {
                try await client.get("/api/v1/pools/\(ServiceClient.segment(name))")
            }
            if connection.json { return try Output.json(info) }
            Output.fields([
                ("pool", info.name), ("revision", String(info.revision)), ("hosts", String(info.hostCount)),
                ("groups", String(info.groupCount)), ("format", info.format.rawValue), ("created", info.createdAt),
                ("updated", info.updatedAt),
            ])
        }
    }

    struct Hosts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a pool's hosts, optionally through an Ansible --limit pattern.")
        @Argument(help: ArgumentHelp("The pool's name.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("An Ansible --limit pattern, e.g. 'web:&dc1:!web01'.", valueName: "pattern"))
        var pattern: String?
        @OptionGroup var paging: PagingOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            let page: Page<PoolHost> = try await runClient {
                try await client.get(
                    "/api/v1/pools/\(ServiceClient.segment(name))/hosts",
                    query: [("pattern", pattern)] + paging.query)
            }
            if connection.json { return try Output.json(page) }
            Output.table(["host", "groups"], page.items.map { [$0.name, $0.groups.joined(separator: ",")] })
            Output.pageNote(page)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a pool (refused while an unfinished cursor uses it).")
        @Argument(help: ArgumentHelp("The pool's name.", valueName: "name")) var name: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let client = try connection.client()
            try await runClient { try await client.delete("/api/v1/pools/\(ServiceClient.segment(name))") }
            if !connection.json { Output.line("pool \(name) deleted") }
        }
    }
}

/// Runs API calls from the CLI, turning their errors into one line on stderr.
@discardableResult
func runClient<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as ServiceClientError {
        throw CLIError(e.description)
    }
}
