/// Puts the settings together: defaults, then the config file, then the environment, then
/// flags, each overriding the one before. The environment beats the file because under AWX it
/// carries the inventory source's source_vars and credential, which are more specific than a
/// file shipped in the project; flags beat both because someone typed them for this run.
public struct SettingsResolver {
    public var environment: [String: String]
    /// argv[0], as Ansible ran the script.
    public var invokedAs: String
    public var executablePath: String?
    /// Who and where, for the default consumer `user@host`; asked only when no consumer is set
    /// (the password database lookup behind the user name costs every run that needs none).
    public var userName: () -> String
    public var hostName: () -> String
    /// Makes the claim key of a run outside AWX.
    public var newClaimKey: () -> String
    public var readFile: (String) throws(SystemIO.FileError) -> [UInt8]

    public init(
        environment: [String: String], invokedAs: String, executablePath: String?,
        userName: @autoclosure @escaping () -> String,
        hostName: @autoclosure @escaping () -> String,
        newClaimKey: @escaping () -> String = SettingsResolver.randomClaimKey,
        readFile: @escaping (String) throws(SystemIO.FileError) -> [UInt8] = SystemIO.readFile
    ) {
        self.environment = environment
        self.invokedAs = invokedAs
        self.executablePath = executablePath
        self.userName = userName
        self.hostName = hostName
        self.newClaimKey = newClaimKey
        self.readFile = readFile
    }

    /// The merged setting texts (before checking), and the config file that was read, if any.
    public func layers(_ invocation: Invocation) throws(ScriptError) -> (merged: SettingsLayer, configFile: String?) {
        let (file, path) = try configLayer(invocation)
        let merged = file.overlaid(by: .environment { environment[$0] }).overlaid(by: invocation.flags)
        return (merged, path)
    }

    public func resolve(_ invocation: Invocation) throws(ScriptError) -> ScriptSettings {
        let (merged, configPath) = try layers(invocation)
        let whereToSet = { (key: SettingKey) -> String in
            let spec = SettingSpec.spec(key)
            let file = configPath.map { "`\(spec.fileKey):` in \($0)" } ?? "`\(spec.fileKey):` in a config file"
            return
                "set \(spec.env) (in AWX: the inventory source's source_vars or a credential), \(file), or "
                + "--\(spec.flag)"
        }
        func required(_ key: SettingKey, _ what: String) throws(ScriptError) -> SettingValue {
            guard let value = merged[key], !value.text.trimmingCharacters().isEmpty else {
                throw ScriptError(.usage, "no \(what) configured: \(whereToSet(key))")
            }
            return value
        }

        let urlValue = try required(.url, "batch-source address")
        let service = try ServiceURL(urlValue.text, origin: urlValue.origin)
        let token = try resolveToken(merged, whereToSet: whereToSet(.token))
        let cursor = try required(.cursor, "cursor").text.trimmingCharacters()

        let consumer: String
        if let given = merged[.consumer]?.text.trimmingCharacters(), !given.isEmpty {
            consumer = given
        } else if let source = environment["INVENTORY_SOURCE_ID"], !source.isEmpty {
            consumer = "awx-inventory-source-\(source)"
        } else {
            consumer = "\(userName())@\(hostName())"
        }
        let claimKey: String
        let claimKeyIsGiven: Bool
        if let given = merged[.claimKey]?.text.trimmingCharacters(), !given.isEmpty {
            (claimKey, claimKeyIsGiven) = (given, true)
        } else if let update = environment["INVENTORY_UPDATE_ID"], !update.isEmpty {
            (claimKey, claimKeyIsGiven) = ("awx-inventory-update-\(update)", true)
        } else {
            (claimKey, claimKeyIsGiven) = (newClaimKey(), false)
        }

        var settings = ScriptSettings(
            service: service, token: token, cursor: cursor, consumer: consumer,
            claimKey: claimKey, claimKeyIsGiven: claimKeyIsGiven)
        if let v = merged[.mode] {
            guard let mode = OutputMode(rawValue: v.text.trimmingCharacters().lowercased()) else {
                throw ScriptError(.usage, "\(v.origin) must be batch or pool, got '\(v.text)'")
            }
            settings.mode = mode
        }
        if let v = merged[.wait] { settings.waitSeconds = try Self.seconds(v, allowZero: true) }
        if let v = merged[.timeout] { settings.timeoutSeconds = try Self.seconds(v, allowZero: false) }
        if let v = merged[.connectTimeout] { settings.connectTimeoutSeconds = try Self.seconds(v, allowZero: false) }
        if let v = merged[.retryTime] { settings.retryTimeSeconds = try Self.seconds(v, allowZero: true) }
        if let v = merged[.retries] {
            guard let n = Int(v.text.trimmingCharacters()), n >= 0, n <= 100 else {
                throw ScriptError(
                    .usage, "\(v.origin) must be a whole number of retries from 0 to 100, got '\(v.text)'")
            }
            settings.retries = n
        }
        if let v = merged[.verifyTLS] { settings.verifyTLS = try Self.bool(v) }
        if let v = merged[.caFile] {
            let path = v.text.trimmingCharacters()
            guard SystemIO.isReadableFile(path) else {
                throw ScriptError(
                    .usage,
                    "\(v.origin) names \(path), which is not a readable file; give the PEM file of the CA that "
                        + "signed the service's certificate"
                )
            }
            settings.caFile = path
        }
        return settings
    }

    private func configLayer(_ invocation: Invocation) throws(ScriptError) -> (SettingsLayer, String?) {
        let named: (path: String, origin: String)? =
            invocation.configFile.map { ($0, "--config") }
            ?? environment[SettingSpec.configEnv].flatMap { $0.isEmpty ? nil : ($0, SettingSpec.configEnv) }
        if let named {
            do {
                let bytes = try readFile(named.path)
                return (
                    try ConfigFile.layer(
                        text: try Self.utf8(bytes, what: "config file \(named.path)"), path: named.path), named.path
                )
            } catch let error as SystemIO.FileError {
                throw ScriptError(
                    .usage, "cannot read the config file \(named.path) named by \(named.origin): \(error.reason)")
            } catch let error as ScriptError {
                throw error
            } catch {
                throw ScriptError(.usage, "cannot read the config file \(named.path): \(error)")
            }
        }
        for path in ConfigFile.candidates(invokedAs: invokedAs, executablePath: executablePath) {
            let bytes: [UInt8]
            do {
                bytes = try readFile(path)
            } catch {
                if error.isMissing { continue }
                throw ScriptError(.usage, "cannot read the config file \(path): \(error.reason)")
            }
            return (try ConfigFile.layer(text: try Self.utf8(bytes, what: "config file \(path)"), path: path), path)
        }
        return (SettingsLayer(), nil)
    }

    private func resolveToken(_ merged: SettingsLayer, whereToSet: String) throws(ScriptError) -> String {
        var token: String
        let origin: String
        if let value = merged[.token], !value.text.trimmingCharacters().isEmpty {
            token = value.text
            origin = value.origin
        } else if let file = merged[.tokenFile], !file.text.trimmingCharacters().isEmpty {
            let path = file.text.trimmingCharacters()
            do {
                token = try Self.utf8(try readFile(path), what: "token file \(path)")
            } catch let error as SystemIO.FileError {
                throw ScriptError(.usage, "cannot read the token file \(path) named by \(file.origin): \(error.reason)")
            } catch let error as ScriptError {
                throw error
            } catch {
                throw ScriptError(.usage, "cannot read the token file \(path): \(error)")
            }
            token = String(token.split(whereSeparator: \.isNewline).first ?? "")
            origin = "the token file \(path)"
        } else {
            throw ScriptError(.usage, "no API token configured: \(whereToSet) (or BATCH_SOURCE_TOKEN_FILE)")
        }
        token = token.trimmingCharacters()
        // The token goes into a header: reject what would break it, without echoing it.
        guard !token.isEmpty, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ScriptError(
                .usage,
                "the API token from \(origin) is empty or has spaces or control characters; paste the token alone")
        }
        return token
    }

    static func utf8(_ bytes: [UInt8], what: String) throws(ScriptError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ScriptError(.usage, "\(what) is not UTF-8 text")
        }
        return text
    }

    static func seconds(_ value: SettingValue, allowZero: Bool) throws(ScriptError) -> Double {
        let text = value.text.trimmingCharacters()
        guard let seconds = Double(text), seconds.isFinite, allowZero ? seconds >= 0 : seconds > 0, seconds <= 86400 * 7
        else {
            throw ScriptError(
                .usage,
                "\(value.origin) must be a number of seconds\(allowZero ? "" : " above 0") (at most a week), got "
                    + "'\(value.text)'"
            )
        }
        return seconds
    }

    static func bool(_ value: SettingValue) throws(ScriptError) -> Bool {
        switch value.text.trimmingCharacters().lowercased() {
        case "true", "yes", "on", "1", "y", "t": return true
        case "false", "no", "off", "0", "n", "f": return false
        default: throw ScriptError(.usage, "\(value.origin) must be true or false, got '\(value.text)'")
        }
    }

    /// `run-` and 16 random hex digits: one per run, so retries within the run share it.
    public static func randomClaimKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return "run-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
