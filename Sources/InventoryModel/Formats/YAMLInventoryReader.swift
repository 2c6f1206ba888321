/// Reads YAML inventories (ansible-core's `yaml` inventory plugin format). Placeholder until
/// the YAML layer lands.
public enum YAMLInventoryReader {
    public static func read(text: String, source: String? = nil) throws(InventoryError) -> Inventory {
        throw InventoryError("YAML inventories are not supported yet", source: source)
    }
}
