import FuzzDriver
import InventoryModel

// Inventory-script JSON, read both from text and from raw bytes (the parser has both entries),
// and by the format detection a pool import without a format runs first.
runFuzzer { bytes in
    _ = try? JSONParser.parse(bytes: bytes.assumingMemoryBound(to: UInt8.self))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = InventoryFormat.detect(text: text)
    guard let inventory = try? Inventory.read(text: text, format: .json, source: "fuzz.json") else { return }
    exercise(inventory)
}
