import ArgumentParser
import Foundation

@main
struct BatchSourceCommand: AsyncParsableCommand {
    /// Runs the command; a `CLIError` exits with its own code (2: bad settings) after one line
    /// on stderr, everything else as swift-argument-parser reports it.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "batch-source",
        abstract: "Hands out hosts in consistent, resumable batches for Ansible and AWX.",
        discussion: """
            Start the service with `batch-source serve`, then import a pool, make a cursor and \
            let inventory-script (or GET /api/nextBatch) hand its batches out:

              batch-source token create --name admin --scope admin     # prints the token last
              export BATCH_SOURCE_TOKEN=bs_…
              batch-source serve &
              batch-source pool import demo fixtures/pools/demo.yml
              batch-source cursor create demo --pool demo --batch-size 10%
              batch-source cursor watch demo

            Commands that talk to the service take --url/--token (or BATCH_SOURCE_URL and \
            BATCH_SOURCE_TOKEN) and --json.
            """,
        subcommands: [
            ServeCommand.self, PoolCommand.self, CursorCommand.self, BatchCommand.self, TokenCommand.self,
            InventoryCommand.self,
            DriveCommand.self, PlayCommand.self,
        ]
    )
}
