/// Reads INI inventories (ansible-core's `ini` inventory plugin format). Placeholder.
public enum INIInventoryReader {
    public static func read(text: String, source: String? = nil) throws(InventoryError) -> Inventory {
        throw InventoryError("INI inventories are not supported yet", source: source)
    }
}
