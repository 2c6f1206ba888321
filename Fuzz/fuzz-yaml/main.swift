import FuzzDriver
import InventoryModel

// The `yaml` inventory plugin's format (JSON in that shape included), as a pool import reads it.
runFuzzer(text: { text in
    guard let inventory = try? Inventory.read(text: text, format: .yaml, source: "fuzz.yml") else { return }
    exercise(inventory)
})
