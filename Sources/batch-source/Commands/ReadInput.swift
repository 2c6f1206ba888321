import Foundation

/// Reads a whole file (or standard input for `-`) as UTF-8 text.
func readInput(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path): no such file")
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("\(path): cannot read: \(error.localizedDescription)")
        }
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("\(path): not UTF-8 text")
    }
    return text
}
