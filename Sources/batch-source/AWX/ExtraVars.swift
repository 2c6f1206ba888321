import Foundation
import InventoryModel

/// `--extra-vars` as ansible-playbook takes `-e`: a JSON or YAML mapping, `@file` holding
/// one, or `key=value` pairs; later ones win, key by key.
enum ExtraVars {
    static func merge(_ items: [String]) throws -> JSONObject {
        var merged: JSONObject = [:]
        for item in items {
            for (k, v) in try parse(item) { merged[k] = v }
        }
        return merged
    }

    static func parse(_ item: String) throws -> JSONObject {
        var text = item
        var source = "--extra-vars \(item.count > 60 ? String(item.prefix(60)) + "…" : item)"
        if item.hasPrefix("@") {
            let path = String(item.dropFirst())
            text = try readInput(path)
            source = "--extra-vars @\(path)"
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [:] }
        let value: JSONValue
        do {
            value = try YAMLLoader.load(text).value.json()
        } catch {
            if !item.hasPrefix("@"), let pairs = try? keyValues(text) { return pairs }
            throw CLIError("\(source): not JSON or YAML: \(error)", exitCode: DriveExit.usage)
        }
        if case .object(let object) = value { return object }
        if !item.hasPrefix("@"), let pairs = try? keyValues(text) { return pairs }
        throw CLIError(
            "\(source): must be a mapping (JSON object, YAML mapping or key=value pairs), got \(value.typeName)",
            exitCode: DriveExit.usage)
    }

    /// `a=1 b="two words"`: values stay strings, as ansible-playbook keeps them.
    static func keyValues(_ text: String) throws -> JSONObject? {
        var object: JSONObject = [:]
        for word in try Shlex.split(text) {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return nil }
            object[String(word[..<eq])] = .string(String(word[word.index(after: eq)...]))
        }
        return object.isEmpty ? nil : object
    }
}
