/// The whole program: parse, configure, run, print. Returns the exit status.
public enum InventoryScriptMain {
    public static func run(arguments: [String], environment: [String: String]) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try Invocation.parse(Array(arguments.dropFirst()))
        } catch {
            SystemIO.printError(error.description)
            return error.exitStatus
        }
        switch invocation.action {
        case .help:
            return emit(Array(HelpText.text.utf8))
        case .version:
            return emit(Array("inventory-script \(ScriptVersion.string) (\(Libcurl.versionText))\n".utf8))
        case .list, .host:
            break
        }
        do throws(ScriptError) {
            let resolver = SettingsResolver(
                environment: environment, invokedAs: arguments.first ?? "inventory-script",
                executablePath: SystemIO.executablePath(), userName: SystemIO.userName(environment: environment),
                hostName: SystemIO.hostName())
            let settings = try resolver.resolve(invocation)
            let transport: any HTTPTransport
            do {
                transport = try CurlTransport(
                    TransportOptions(
                        service: settings.service, token: settings.token,
                        caFile: CABundle.choose(configured: settings.caFile, environment: environment),
                        verifyTLS: settings.verifyTLS, timeoutSeconds: settings.timeoutSeconds,
                        connectTimeoutSeconds: settings.connectTimeoutSeconds))
            } catch {
                throw ScriptError(.usage, "cannot set up the HTTP client: \(error.detail)")
            }
            let client = BatchSourceClient(
                transport: transport, service: settings.service,
                policy: RetryPolicy(retries: settings.retries, totalSeconds: settings.retryTimeSeconds))
            let runner = ScriptRunner(settings: settings, client: client, note: SystemIO.printError)
            let output: [UInt8]
            switch invocation.action {
            case .host(let name): output = try runner.host(name)
            default: output = try runner.list()
            }
            return emit(output)
        } catch {
            SystemIO.printError(error.description)
            return error.exitStatus
        }
    }

    /// Writes the whole output to stdout, or says on stderr why it could not.
    static func emit(_ bytes: [UInt8]) -> Int32 {
        do {
            try SystemIO.writeAll(bytes, to: 1)
            return 0
        } catch {
            let failure = ScriptError(.output, "cannot write the inventory to stdout: \(error.reason)")
            SystemIO.printError(failure.description)
            return failure.exitStatus
        }
    }
}
