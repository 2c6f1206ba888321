import BatchSource
import Foundation
import InventoryModel

/// Prints for people (aligned tables, key/value blocks) or for scripts (`--json`).
enum Output {
    static func json(_ value: some Encodable) throws {
        let encoder = Wire.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        var data = try encoder.encode(value)
        data.append(0x0A)
        StandardOutput.write(data)
    }

    static func line(_ text: String) {
        StandardOutput.write(text + "\n")
    }

    /// Columns padded to their widest cell; the header in capitals.
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ")
        }
        line(render(header.map { $0.uppercased() }))
        for row in rows { line(render(row)) }
    }

    static func fields(_ pairs: [(String, String)]) {
        let width = pairs.map(\.0.count).max() ?? 0
        for (k, v) in pairs { line((k + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + " " + v) }
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    static func pageNote<T>(_ page: Page<T>) {
        if page.total > page.offset + page.items.count {
            line("(\(page.items.count) of \(page.total); more with --offset \(page.offset + page.items.count))")
        }
    }
}
