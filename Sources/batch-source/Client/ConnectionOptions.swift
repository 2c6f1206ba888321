import ArgumentParser
import Foundation

/// `--url` and `--token` for every command that talks to a running service.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The service's base URL (env BATCH_SOURCE_URL; default http://127.0.0.1:8080).", valueName: "url"))
    var url: String?

    @Option(
        help: ArgumentHelp(
            """
            A bearer token (env BATCH_SOURCE_TOKEN, safer: a token on the command line shows in `ps`). \
            Make one with `batch-source token create`.
            """, valueName: "token"))
    var token: String?

    @Flag(help: "Print JSON (the API's answers) instead of text for people.")
    var json = false

    func client() throws -> ServiceClient {
        let env = ProcessInfo.processInfo.environment
        let base = url ?? env["BATCH_SOURCE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080"
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw CLIError("--url \(base) must start with http:// or https://")
        }
        let token = self.token ?? env["BATCH_SOURCE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return ServiceClient(baseURL: base, token: token)
    }
}

/// `--limit` and `--offset` of the list commands, as the API pages lists.
struct PagingOptions: ParsableArguments {
    @Option(help: "At most this many (1-1000).") var limit = 100
    @Option(help: "Skip this many.") var offset = 0

    var query: [(String, String?)] { [("limit", String(limit)), ("offset", String(offset))] }
}
