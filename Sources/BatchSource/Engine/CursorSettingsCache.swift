import Foundation
import InventoryModel

/// Decoded cursor settings by their stored JSON: every claim and read loads a cursor, and its
/// settings rarely change, so they are not decoded again each time.
enum CursorSettingsCache {
    private static let entries = BoundedCache<String, CursorSettings>(capacity: 4096)

    static func decode(_ text: String) throws -> CursorSettings {
        try entries.value(for: text) { try Wire.decoder.decode(CursorSettings.self, from: Data(text.utf8)) }
    }
}
