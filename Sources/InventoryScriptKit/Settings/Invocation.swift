/// What inventory-script was asked to do, from its command line.
public struct Invocation: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// `--list`: the inventory (claims or re-reads the consumer's batch).
        case list
        /// `--host NAME`: one host's vars from the current batch, claiming nothing.
        case host(String)
        case help
        case version
    }

    public var action: Action
    /// Settings given as flags.
    public var flags: SettingsLayer
    /// `--config FILE`.
    public var configFile: String?

    public init(action: Action, flags: SettingsLayer = SettingsLayer(), configFile: String? = nil) {
        self.action = action
        self.flags = flags
        self.configFile = configFile
    }

    /// Parses the arguments (without the program name). Flags take `--flag VALUE` or
    /// `--flag=VALUE`; Ansible itself passes only `--list` or `--host NAME`.
    public static func parse(_ arguments: [String]) throws(ScriptError) -> Invocation {
        var action: Action?
        var flags = SettingsLayer()
        var configFile: String?

        func setAction(_ new: Action, _ flag: String) throws(ScriptError) {
            if let action, action != new {
                throw ScriptError(
                    .usage,
                    "\(flag) cannot be combined with \(describe(action)); use one of --list, --host NAME, --help, "
                        + "--version"
                )
            }
            action = new
        }

        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inlineValue = String(argument[argument.index(after: eq)...])
            }
            func value() throws(ScriptError) -> String {
                if let inlineValue { return inlineValue }
                guard index < arguments.count else {
                    throw ScriptError(.usage, "\(name) needs a value; see --help")
                }
                index += 1
                return arguments[index - 1]
            }
            switch name {
            case "--list":
                try setAction(.list, name)
            case "--host":
                let host = try value()
                guard !host.isEmpty else { throw ScriptError(.usage, "--host needs a host name") }
                try setAction(.host(host), name)
            case "-h", "--help":
                try setAction(.help, name)
            case "--version":
                try setAction(.version, name)
            case "--config":
                configFile = try value()
            default:
                guard name.hasPrefix("--"), let spec = SettingSpec.all.first(where: { "--" + $0.flag == name }) else {
                    throw ScriptError(.usage, "unknown argument '\(argument)'; see --help")
                }
                flags[spec.key] = SettingValue(try value(), origin: "--\(spec.flag)")
            }
        }
        guard let action else {
            throw ScriptError(
                .usage, "say what to print: --list (the batch's inventory) or --host NAME (one host's vars); see --help"
            )
        }
        return Invocation(action: action, flags: flags, configFile: configFile)
    }

    private static func describe(_ action: Action) -> String {
        switch action {
        case .list: return "--list"
        case .host: return "--host"
        case .help: return "--help"
        case .version: return "--version"
        }
    }
}
