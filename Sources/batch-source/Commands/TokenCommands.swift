import ArgumentParser
import BatchSource
import Foundation

/// `batch-source token …`: works on the database directly (no service needed), so the first
/// token can be made before the service ever started.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens (on the database, no service needed).",
        discussion: """
            Scopes nest: read (GET anything) < claim (claim, heartbeat, complete, release) < \
            admin (pools, cursors). Tokens are stored as SHA-256 hashes; the secret is shown \
            once, when it is made.

            Examples:
              batch-source token create --name awx-prod --scope claim
              TOKEN=$(batch-source token create --name ci --scope admin | tail -1)
              batch-source token list --database sqlite:///var/lib/batch-source/state.sqlite
              batch-source token revoke awx-prod
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct DatabaseOption: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "The service's database (env BATCH_SOURCE_DATABASE; default sqlite://data/batch-source.sqlite).",
                valueName: "url"))
        var database: String?

        func open() async throws -> TokenService {
            let env = ProcessInfo.processInfo.environment
            let text =
                database ?? env["BATCH_SOURCE_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "sqlite://\(DatabaseURL.defaultSQLitePath)"
            do {
                return TokenService(store: try await StoreOpener.open(try DatabaseURL(parsing: text)))
            } catch {
                throw CLIError("\(error)", exitCode: 2)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token; prints it once, alone on the last line.")
        @Option(help: ArgumentHelp("A unique name; it is also the consumer of GET /api/nextBatch.", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("read, claim or admin.", valueName: "scope"))
        var scope: Scope
        @OptionGroup var db: DatabaseOption
        @Flag(help: "Print the token's record as JSON before the token.") var json = false

        func run() async throws {
            let tokens = try await db.open()
            let (info, token) = try await runEngine { try await tokens.create(name: name, scope: scope) }
            if json {
                try Output.json(info)
            } else {
                FileHandle.standardError.write(
                    Data(
                        "token \(info.name) (id \(info.id), scope \(info.scope.rawValue)) created; it is shown only now:\n"
                            .utf8))
            }
            Output.line(token.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var db: DatabaseOption
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let tokens = try await db.open()
            let list = try await runEngine { try await tokens.list() }
            if json { return try Output.json(list) }
            Output.table(
                ["name", "id", "scope", "created", "revoked"],
                list.map { [$0.name, $0.id, $0.scope.rawValue, $0.createdAt, $0.revokedAt ?? "-"] })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by name or id (a running service notices within 5 seconds).")
        @Argument(help: ArgumentHelp("The token's name or id.", valueName: "name-or-id")) var token: String
        @OptionGroup var db: DatabaseOption
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let tokens = try await db.open()
            let info = try await runEngine { try await tokens.revoke(token) }
            if json { return try Output.json(info) }
            Output.line("token \(info.name) (id \(info.id)) revoked at \(info.revokedAt ?? "-")")
        }
    }
}

extension Scope: ExpressibleByArgument {}

/// Runs engine work from the CLI, turning its errors into one line on stderr.
func runEngine<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as EngineError {
        throw CLIError(e.message)
    } catch let e as StoreUnavailableError {
        throw CLIError(e.description)
    }
}
