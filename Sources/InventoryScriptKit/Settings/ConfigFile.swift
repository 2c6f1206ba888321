import InventoryModel

/// The optional YAML config file: a mapping of setting keys (`url`, `cursor`, `ca_file`, …) to
/// scalars. It is named by `--config` or `BATCH_SOURCE_CONFIG`, else looked for beside the
/// executable as `<name>.yml` or `<name>.yaml` (`inventory-script.yml` for the usual name), so
/// that an AWX project can ship it next to the script.
public enum ConfigFile {
    /// Where the config file is looked for when none is named, in order.
    public static func candidates(invokedAs argument0: String, executablePath: String?) -> [String] {
        var directories: [String] = []
        // The path Ansible ran (the project's copy, maybe a symlink) first, then the real file.
        if argument0.contains("/") { directories.append(dirname(argument0)) }
        if let executablePath { directories.append(dirname(executablePath)) }
        let name = basename(argument0.isEmpty ? (executablePath ?? "inventory-script") : argument0)
        var seen = Set<String>()
        var paths: [String] = []
        for dir in directories {
            for ext in ["yml", "yaml"] {
                let path = (dir == "/" ? "" : dir) + "/" + name + "." + ext
                if seen.insert(path).inserted { paths.append(path) }
            }
        }
        return paths
    }

    /// Reads the settings from a config file's text.
    public static func layer(text: String, path: String) throws(ScriptError) -> SettingsLayer {
        let value: YAMLValue
        do {
            value = try YAMLLoader.load(text).value
        } catch {
            throw ScriptError(.usage, "config file \(path) is not valid YAML: \(error.description)")
        }
        if case .null = value { return SettingsLayer() }
        guard case .mapping(let entries) = value else {
            throw ScriptError(
                .usage,
                "config file \(path) must be a mapping of settings (url: …, cursor: …), got a \(value.pythonType)")
        }
        var layer = SettingsLayer()
        for entry in entries {
            guard let key = entry.key.stringValue,
                let spec = SettingSpec.all.first(where: { $0.fileKey == key })
            else {
                let known = SettingSpec.all.map(\.fileKey).joined(separator: ", ")
                throw ScriptError(
                    .usage, "config file \(path): unknown setting '\(entry.key.pythonStr)'; known settings: \(known)")
            }
            let origin = "\(key) in \(path)"
            switch entry.value {
            case .null:
                continue
            case .string(let s): layer[spec.key] = SettingValue(s, origin: origin)
            case .bool(let b): layer[spec.key] = SettingValue(b ? "true" : "false", origin: origin)
            case .int(let i): layer[spec.key] = SettingValue(String(i), origin: origin)
            case .float(let d): layer[spec.key] = SettingValue(String(d), origin: origin)
            default:
                throw ScriptError(
                    .usage, "config file \(path): \(key) must be a single value, got a \(entry.value.pythonType)")
            }
        }
        return layer
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
