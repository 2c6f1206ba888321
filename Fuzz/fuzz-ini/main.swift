import FuzzDriver
import InventoryModel

// The `ini` inventory plugin's format, as a pool import with `format=ini` reads it.
runFuzzer(text: { text in
    guard let inventory = try? Inventory.read(text: text, format: .ini, source: "fuzz.ini") else { return }
    exercise(inventory)
})
