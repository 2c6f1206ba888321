import ArgumentParser
import Foundation
import InventoryModel

/// `batch-source drive CURSOR --job-template ID|NAME`: a whole rollout through AWX's REST API.
struct DriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drive",
        abstract: "Run a whole rollout through AWX: one job per batch until the cursor is done.",
        discussion: """
            For each batch: claim it (consumer drive:CURSOR), launch the template with the \
            batch's hosts as the job's limit and the batch facts (batch_id, batch_cursor, \
            batch_attempt, …) in extra_vars, follow the job to its end, and complete the batch \
            with the job's per-host results (job_host_summaries; for a workflow, of every job \
            node). A job that ends in error or canceled releases its batch and stops the drive.

            The template must prompt on launch for Limit and for Variables \
            (ask_limit_on_launch, ask_variables_on_launch). With --inventory-source the drive \
            first updates that source, whose inventory-script (source_vars \
            BATCH_SOURCE_CONSUMER: drive:CURSOR) gets the same batch, and launches without a limit.

            The drive keeps no state: the job's URL is recorded on the batch (external_ref, see \
            `batch-source batch show`). Killed and run again, it follows that job instead of \
            launching another.

            AWX connection, as AWX's own tools read it: CONTROLLER_HOST, \
            CONTROLLER_OAUTH_TOKEN (Bearer) or CONTROLLER_USERNAME and CONTROLLER_PASSWORD, \
            CONTROLLER_VERIFY_SSL; TOWER_* names work too. The flags below win.

            Exit status: 0 the rollout is done; 1 it stopped (halted by a threshold, aborted, \
            a job ended in error or canceled); 2 bad settings or AWX refused a request; 3 the \
            cursor is paused (resume it, run again); 4 AWX or the service did not answer after \
            retries (run again: the batch and its job are kept).

            Examples:
              export CONTROLLER_HOST=https://awx.example.com CONTROLLER_OAUTH_TOKEN=…
              batch-source drive patch-2024-06 --job-template "Patch servers"
              batch-source drive patch-2024-06 --workflow-template 12 -e '{"reboot": true}' --json
              batch-source drive patch-2024-06 --job-template 7 --inventory-source 31 --follow
            """)

    @Argument(help: ArgumentHelp("The cursor (rollout) to drive.", valueName: "cursor")) var cursor: String
    @Option(
        name: .customLong("job-template"),
        help: ArgumentHelp("The job template to launch per batch: an id or its exact name.", valueName: "id|name"))
    var jobTemplate: String?
    @Option(
        name: .customLong("workflow-template"),
        help: ArgumentHelp("A workflow job template to launch per batch instead.", valueName: "id|name"))
    var workflowTemplate: String?
    @Option(
        name: .customLong("inventory-source"),
        help: ArgumentHelp(
            "Update this inventory source (running inventory-script) before each launch, and launch without the "
                + "batch limit.",
            valueName: "id"))
    var inventorySource: Int?
    @Option(
        help: ArgumentHelp(
            "With --inventory-source: a limit to launch with anyway (e.g. the batch's group).", valueName: "pattern"))
    var limit: String?
    @Option(
        name: [.customShort("e"), .customLong("extra-vars")],
        help: ArgumentHelp(
            "Your own extra_vars: JSON, YAML, key=value pairs or @file (repeatable; later wins).", valueName: "vars"))
    var extraVars: [String] = []
    @Flag(help: "Print the job's output (its events) as it comes.")
    var follow = false
    @Option(
        name: .customLong("unreported-hosts"),
        help: ArgumentHelp(
            "What a batch host missing from the job's results counts as: failed (default), skipped or ok.",
            valueName: "result"))
    var unreportedHosts: HostStatus = .failed

    @Option(
        name: .customLong("controller-host"),
        help: ArgumentHelp("AWX's URL (env CONTROLLER_HOST / TOWER_HOST).", valueName: "url"))
    var controllerHost: String?
    @Option(
        name: .customLong("controller-oauth-token"),
        help: ArgumentHelp(
            "An AWX OAuth2 token (env CONTROLLER_OAUTH_TOKEN; safer than a flag, which `ps` shows).", valueName: "token"
        ))
    var controllerToken: String?
    @Option(
        name: .customLong("controller-username"),
        help: ArgumentHelp("AWX user for basic auth (env CONTROLLER_USERNAME).", valueName: "user"))
    var controllerUsername: String?
    @Option(
        name: .customLong("controller-password"),
        help: ArgumentHelp("Its password (env CONTROLLER_PASSWORD; safer than a flag).", valueName: "password"))
    var controllerPassword: String?
    @Option(
        name: .customLong("controller-verify-ssl"),
        help: ArgumentHelp(
            "Check AWX's TLS certificate: true (default) or false (env CONTROLLER_VERIFY_SSL).", valueName: "bool"))
    var controllerVerifySSL: String?
    @Option(
        name: .customLong("controller-ca-file"),
        help: ArgumentHelp("A PEM file of CAs to trust for AWX (env CONTROLLER_CA_FILE).", valueName: "file"))
    var controllerCAFile: String?

    @Option(name: .customLong("poll-interval"), help: .hidden) var pollInterval: Double = 2
    @Option(name: .customLong("max-poll-interval"), help: .hidden) var maxPollInterval: Double = 30
    @Option(name: .customLong("awx-timeout"), help: .hidden) var awxTimeout: Double = 30
    @Option(name: .customLong("retries"), help: .hidden) var retries: Int = 5
    @Option(name: .customLong("retry-delay"), help: .hidden) var retryDelay: Double = 1

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if (jobTemplate == nil) == (workflowTemplate == nil) {
            throw ValidationError("give exactly one of --job-template and --workflow-template")
        }
        if limit != nil && inventorySource == nil {
            throw ValidationError("--limit goes with --inventory-source; without it the batch is the limit")
        }
        if pollInterval <= 0 || maxPollInterval < pollInterval || awxTimeout <= 0 || retries < 0 || retryDelay < 0 {
            throw ValidationError("poll intervals, timeouts and retries must be positive")
        }
    }

    func run() async throws {
        do {
            try await drive()
        } catch let error as CLIError {
            // ArgumentParser exits 1 for every error; pipelines need the drive's own statuses.
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    private func drive() async throws {
        var settings = try AWXSettings.resolve(
            .init(
                host: controllerHost, oauthToken: controllerToken, username: controllerUsername,
                password: controllerPassword, verifySSL: controllerVerifySSL, caFile: controllerCAFile),
            environment: ProcessInfo.processInfo.environment)
        settings.requestTimeout = .milliseconds(Int(awxTimeout * 1000))
        settings.retries = retries
        settings.retryDelay = .milliseconds(Int(retryDelay * 1000))
        let config = DriveConfig(
            cursor: cursor, templateKind: jobTemplate != nil ? .job : .workflow,
            template: jobTemplate ?? workflowTemplate ?? "",
            inventorySource: inventorySource, limit: limit, extraVars: try ExtraVars.merge(extraVars), follow: follow,
            unreported: unreportedHosts, pollInterval: .milliseconds(Int(pollInterval * 1000)),
            maxPollInterval: .milliseconds(Int(maxPollInterval * 1000)), serviceRetries: retries,
            retryDelay: .milliseconds(Int(retryDelay * 1000)))
        let awx = AWXClient(settings: settings)
        let display = DriveDisplay(json: connection.json)
        let driver = Driver(config: config, service: try connection.client(), awx: awx, display: display)
        do {
            try await driver.run()
            await awx.shutdown()
        } catch let error as CLIError {
            await awx.shutdown()
            throw error
        } catch let error as ServiceClientError {
            await awx.shutdown()
            display.closeLive()
            display.emit("stopped", ["reason": .string(error.description), "exit_code": .int(Int(DriveExit.stopped))])
            throw CLIError(error.description, exitCode: DriveExit.stopped)
        } catch {
            await awx.shutdown()
            throw error
        }
    }
}
