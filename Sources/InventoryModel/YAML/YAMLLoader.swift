/// Loads a data file the way Ansible's `DataLoader.load_from_file` does: as JSON when the text
/// is valid JSON (Ansible tries JSON first, so `1e3` there is the float 1000.0 and duplicate keys
/// pass silently), else as a single YAML document.
public enum YAMLLoader {
    /// The loaded value and any warnings Ansible would print while loading.
    public static func load(_ text: String) throws(InventoryError) -> (value: YAMLValue, warnings: [String]) {
        if let json = try? JSONParser.parse(text) {
            return (YAMLValue(json: json), [])
        }
        return try loadYAML(text)
    }

    /// Loads YAML only, as PyYAML's `yaml.load` with Ansible's loader.
    public static func loadYAML(_ text: String) throws(InventoryError) -> (value: YAMLValue, warnings: [String]) {
        let document = try YAMLParser.parse(text)
        var constructor = YAMLConstructor(document: document)
        let value = try constructor.construct()
        return (value, constructor.warnings)
    }
}
