import ArgumentParser
import BatchSource
import Foundation

/// `batch-source serve`: the HTTP API on the embedded SQLite store (or PostgreSQL).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the batch service (HTTP API).",
        discussion: """
            Every setting can come from a flag, an environment variable (BATCH_SOURCE_ and the \
            flag's name in capitals, e.g. BATCH_SOURCE_LISTEN) or a YAML config file (--config, \
            or BATCH_SOURCE_CONFIG) with the flags' names as keys; a flag wins over the \
            environment, which wins over the file.

            A first start needs a token: create one on the database with `batch-source token \
            create --name admin --scope admin`, or hand the service one with --token-file or \
            BATCH_SOURCE_BOOTSTRAP_TOKEN (stored as an admin token named `bootstrap`).

            SIGTERM or SIGINT stop it gracefully: it stops accepting connections, lets requests \
            in flight finish (up to --shutdown-grace seconds) and closes the database.

            Examples:
              batch-source serve
              batch-source serve --listen 0.0.0.0:8080 --database sqlite:///var/lib/batch-source/state.sqlite
              BATCH_SOURCE_DATABASE=postgres://batch@db/batch batch-source serve --log-format json
              batch-source serve --config /etc/batch-source/serve.yml

            Config file example (serve.yml):
              listen: 127.0.0.1:8080
              database: sqlite:///var/lib/batch-source/state.sqlite
              log_format: json
              max_body: 512M
              default_cursor: demo
              gate_hosts: prometheus.internal:9090, health.internal
            """
    )

    @Option(help: ArgumentHelp("A YAML config file (env BATCH_SOURCE_CONFIG).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Address to listen on (default 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    @Option(
        help: ArgumentHelp(
            "sqlite:///path/file.sqlite or postgres://user@host/db (default sqlite://data/batch-source.sqlite).",
            valueName: "url"))
    var database: String?

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp("A file holding a bootstrap admin token (bs_…).", valueName: "file"))
    var tokenFile: String?

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp("trace, debug, info (default), notice, warning, error, critical.", valueName: "level"))
    var logLevel: String?

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp("text (default) or json (one object per line).", valueName: "format"))
    var logFormat: String?

    @Option(
        name: .customLong("max-body"),
        help: ArgumentHelp("Largest request body, e.g. 512M (default; a 1M-host pool is ~250M).", valueName: "size"))
    var maxBody: String?

    @Option(
        name: .customLong("default-cursor"),
        help: ArgumentHelp("Cursor of GET /api/nextBatch when the request names none.", valueName: "cursor"))
    var defaultCursor: String?

    @Option(
        name: .customLong("shutdown-grace"),
        help: ArgumentHelp("Seconds requests in flight get to finish on shutdown (default 30).", valueName: "seconds"))
    var shutdownGrace: String?

    @Option(
        name: .customLong("gate-hosts"),
        help: ArgumentHelp(
            "Hosts cursors' health gates may call, comma-separated host or host:port (default: none).",
            valueName: "hosts"))
    var gateHosts: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        var flags: [String: String] = [:]
        for (key, value) in [
            ("listen", listen), ("database", database), ("token-file", tokenFile), ("log-level", logLevel),
            ("log-format", logFormat), ("max-body", maxBody), ("default-cursor", defaultCursor),
            ("shutdown-grace", shutdownGrace), ("gate-hosts", gateHosts),
        ] {
            if let value { flags[key] = value }
        }
        let settings: ServeSettings
        do {
            var file = SettingsFile()
            if let path = config ?? env["BATCH_SOURCE_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
                file = try SettingsFile.read(path: path, allowedKeys: ServeSettings.keys)
            }
            settings = try ServeSettings.resolve(SettingsSources(flags: flags, environment: env, file: file))
        } catch {
            throw CLIError("\(error)", exitCode: 2)
        }
        let registry = ServiceRunner.bootstrapObservability(settings)
        do {
            try await ServiceRunner.run(settings, registry: registry)
        } catch let error as ConfigurationError {
            throw CLIError(error.description, exitCode: 2)
        } catch let error as StoreUnavailableError {
            throw CLIError(error.description)
        }
    }
}
