import ArgumentParser
import Foundation
import InventoryModel

/// `batch-source inventory FILE`: reads an inventory the way a pool import would and prints
/// it as `ansible-inventory -i FILE --list` does, so a pool file can be checked before import.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Read an inventory file and print it as inventory-script JSON.",
        discussion: """
            Reads Ansible script JSON, YAML or INI inventories (detected from the content and the \
            file extension) exactly as a pool import does, and prints what \
            `ansible-inventory -i FILE --list` would print. Use it to check a pool file before \
            importing it.

            Examples:
              batch-source inventory fixtures/pools/demo.yml
              batch-source inventory hosts.ini --export
              batch-source inventory hosts.ini --limit 'web:&dc1'
              ansible-inventory -i cloud.aws_ec2.yml --list --export > fleet.json
              batch-source inventory fleet.json --export
            """
    )

    @Argument(help: ArgumentHelp("The inventory file; `-` reads standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Keep group vars on the groups, as `ansible-inventory --list --export` does.")
    var export = false

    @Option(help: ArgumentHelp("The format, instead of detecting it: json, yaml or ini.", valueName: "format"))
    var format: InventoryFormat?

    @Option(
        help: ArgumentHelp(
            "Only hosts this Ansible --limit pattern selects, e.g. 'web:&dc1:!web01' or '~db-\\d+'.",
            valueName: "pattern"))
    var limit: String?

    func run() throws {
        let text = try readInput(file)
        let inventory: Inventory
        do {
            inventory = try Inventory.read(text: text, format: format, source: file == "-" ? "<stdin>" : file)
        } catch {
            throw CLIError("\(error)")
        }
        var warnings = inventory.warnings
        var only: Set<Int>?
        if let limit {
            do {
                only = Set(try HostPattern(limit).evaluate(in: inventory, warnings: &warnings))
            } catch {
                throw CLIError("--limit \(limit): \(error)")
            }
        }
        for warning in warnings {
            FileHandle.standardError.write(Data("[WARNING]: \(warning)\n".utf8))
        }
        // Streamed in chunks: a million-host inventory's text would otherwise double the memory.
        // Each chunk waits for the next, so the last one goes out with the newline, and an
        // inventory of less than a chunk is still a single write.
        var pending: [UInt8] = []
        inventory.writeScriptJSON(form: export ? .export : .merged, only: only) { chunk in
            if !pending.isEmpty { StandardOutput.write(pending) }
            pending = chunk
        }
        pending.append(UInt8(ascii: "\n"))
        StandardOutput.write(pending)
        // Done: the output went out unbuffered. Exiting here leaves the inventory to the OS
        // instead of releasing a million hosts object by object.
        withExtendedLifetime(inventory) { Foundation.exit(0) }
    }
}

extension InventoryFormat: ExpressibleByArgument {}
