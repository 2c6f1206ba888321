import Foundation
import InventoryModel

/// A flat YAML settings file (`key: value` per line), read with the project's own YAML layer.
/// Keys may be written as the flag (`max-body`) or with underscores (`max_body`).
public struct SettingsFile: Sendable {
    public var values: [String: String]
    public var path: String

    public init(values: [String: String] = [:], path: String = "") {
        self.values = values
        self.path = path
    }

    /// Reads the file; unknown keys are errors, so a typo never silently does nothing.
    public static func read(path: String, allowedKeys: Set<String>) throws(ConfigurationError) -> SettingsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read config file \(path): \(error.localizedDescription)")
        }
        let value: YAMLValue
        do {
            value = try YAMLLoader.loadYAML(text).value
        } catch {
            throw ConfigurationError("config file \(path) is not valid YAML: \(error)")
        }
        if case .null = value { return SettingsFile(path: path) }
        guard case .mapping(let entries) = value else {
            throw ConfigurationError("config file \(path) must be a mapping of settings (key: value)")
        }
        var values: [String: String] = [:]
        for entry in entries {
            guard let rawKey = entry.key.stringValue else {
                throw ConfigurationError(
                    "config file \(path): setting names must be strings, got \(entry.key.pythonRepr)")
            }
            let key = rawKey.replacingOccurrences(of: "_", with: "-")
            guard allowedKeys.contains(key) else {
                throw ConfigurationError(
                    "config file \(path): unknown setting \(rawKey); known: "
                        + "\(allowedKeys.sorted().joined(separator: ", "))"
                )
            }
            switch entry.value {
            case .null: continue
            case .sequence, .mapping:
                throw ConfigurationError("config file \(path): \(rawKey) must be a single value")
            default:
                values[key] = entry.value.pythonStr
            }
        }
        return SettingsFile(values: values, path: path)
    }
}

/// Reads one setting from flag, then environment (`BATCH_SOURCE_<NAME>`), then the settings
/// file, in that order: the first that has it wins.
public struct SettingsSources: Sendable {
    public var flags: [String: String]
    public var environment: [String: String]
    public var file: SettingsFile

    public init(flags: [String: String], environment: [String: String], file: SettingsFile) {
        self.flags = flags
        self.environment = environment
        self.file = file
    }

    public static func envName(_ key: String) -> String {
        "BATCH_SOURCE_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The value and where it came from (for error messages).
    public func value(_ key: String) -> (value: String, origin: String)? {
        if let v = flags[key] { return (v, "--\(key)") }
        let env = Self.envName(key)
        if let v = environment[env], !v.isEmpty { return (v, env) }
        if let v = file.values[key] { return (v, "\(key) in \(file.path)") }
        return nil
    }
}
