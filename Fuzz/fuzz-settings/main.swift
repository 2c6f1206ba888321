import FuzzDriver
import InventoryModel
import InventoryScriptKit

// inventory-script's config file, read and resolved as `--config FILE` makes it; and the same
// YAML read as the service's settings file reads it (`YAMLLoader.loadYAML`, then each value's
// Python `str`), which cannot be linked here without the service's server stack.
let environment = ["BATCH_SOURCE_TOKEN": "bs_fuzz.secret"]

runFuzzer { bytes in
    let file = Array(bytes)
    let resolver = SettingsResolver(
        environment: environment, invokedAs: "/runner/project/inventory-script", executablePath: nil,
        userName: "awx", hostName: "runner", newClaimKey: { "claim" },
        readFile: { _ throws(SystemIO.FileError) in file })
    _ = try? resolver.resolve(Invocation(action: .list, configFile: "/runner/project/inventory-script.yml"))

    let text = String(decoding: bytes, as: UTF8.self)
    if case .mapping(let entries)? = try? YAMLLoader.loadYAML(text).value {
        for entry in entries {
            _ = entry.key.stringValue ?? entry.key.pythonRepr
            _ = entry.value.pythonStr
        }
    }
}
