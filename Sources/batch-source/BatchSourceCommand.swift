import ArgumentParser

@main
struct BatchSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-source",
        abstract: "Hands out hosts in consistent, resumable batches for Ansible and AWX.",
        subcommands: [InventoryCommand.self]
    )
}
