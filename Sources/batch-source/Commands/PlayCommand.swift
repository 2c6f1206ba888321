import ArgumentParser
import Foundation

/// `batch-source play CURSOR -- ansible-playbook -i inventory-script site.yml`: a whole rollout
/// with plain Ansible, one run of the command per batch.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Run a whole rollout with plain Ansible: the command once per batch until the cursor is done.",
        discussion: """
            The counterpart of `drive` without AWX (a CI job, a bastion). For each batch: claim \
            it (consumer play:CURSOR), run the command with the environment that makes \
            inventory-script hand out exactly that batch (BATCH_SOURCE_URL, _TOKEN, _CURSOR, \
            _CONSUMER, _CLAIM_KEY) and enables the batchsource.rollout.report callback \
            (ANSIBLE_CALLBACKS_ENABLED), which completes the batch at the end of the playbook \
            with every host's result. Then the next batch, until the cursor is done, halted \
            (a threshold tripped) or paused (e.g. pause_after a canary batch).

            Needs: inventory-script as the playbook's inventory (-i), and the collection \
            installed (`make dist`, then `ansible-galaxy collection install \
            dist/batchsource-rollout-*.tar.gz`). A command that ends without reporting its batch \
            (the callback missing, a syntax error, an inventory that failed) releases the batch \
            and stops play, saying why.

            The command's process is recorded on the batch (external_ref, see `batch-source \
            batch show`). Killed and started again, play gets its batch back: it waits for the \
            run it left behind if that still goes on, else plays the batch again. Ctrl-C is \
            passed on to the command; the batch stays held for the next run.

            Exit status: 0 the rollout is done; 1 it stopped (halted by a threshold, aborted, \
            a command that did not report); 2 bad settings or command; 3 the cursor is paused \
            (resume it, run again); 4 the service did not answer after retries (run again).

            Examples:
              export BATCH_SOURCE_URL=http://batch-source:8080 BATCH_SOURCE_TOKEN=bs_…   # claim scope
              batch-source cursor create patch-june --pool fleet --batch-size 1,10% --max-fail-percentage 5 --pause-after 1
              batch-source play patch-june -- ansible-playbook -i dist/inventory-script site.yml
              batch-source cursor resume patch-june       # after the canary batch (exit 3)
              batch-source play patch-june --json -- ansible-playbook -i dist/inventory-script site.yml -e reboot=true
            """)

    @Argument(help: ArgumentHelp("The cursor (rollout) to play.", valueName: "cursor")) var cursor: String
    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp(
            "The command to run per batch, after --; usually ansible-playbook -i inventory-script PLAYBOOK.",
            valueName: "command"))
    var command: [String] = []
    @Option(
        help: ArgumentHelp(
            "Who holds the batches (default play:CURSOR); the same name gets its batch back after a restart.",
            valueName: "name"))
    var consumer: String?
    @Flag(
        name: .customLong("callbacks-from-config"),
        help:
            "Leave ANSIBLE_CALLBACKS_ENABLED alone: your ansible.cfg's callbacks_enabled lists batchsource.rollout.report (the variable would replace that list)."
    )
    var callbacksFromConfig = false

    @Option(name: .customLong("retries"), help: .hidden) var retries: Int = 5
    @Option(name: .customLong("retry-delay"), help: .hidden) var retryDelay: Double = 1

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if command.isEmpty {
            throw ValidationError(
                "give the command after --, e.g. batch-source play \(cursor) -- ansible-playbook -i inventory-script "
                    + "site.yml"
            )
        }
        if let consumer, consumer.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--consumer must not be empty")
        }
        if retries < 0 || retryDelay < 0 { throw ValidationError("retries and retry delay must not be negative") }
    }

    func run() async throws {
        do {
            let client = try connection.client()
            let config = PlayConfig(
                cursor: cursor, consumer: consumer ?? "play:\(cursor)", command: command,
                enableCallback: !callbacksFromConfig,
                serviceURL: client.baseURL, token: client.token, retries: retries,
                retryDelay: .milliseconds(Int(retryDelay * 1000)))
            let runner = PlayRunner(config: config, service: client, display: DriveDisplay(json: connection.json))
            do {
                try await runner.run()
            } catch let error as ServiceClientError {
                throw runner.stop(error.description, exit: DriveExit.stopped)
            }
        } catch let error as CLIError {
            // ArgumentParser exits 1 for every error; pipelines need play's own statuses.
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }
}
