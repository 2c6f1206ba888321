import ArgumentParser

/// A failure to report on stderr as `batch-source: error: …` with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1
    init(_ message: String, exitCode: Int32 = 1) {
        self.description = message
        self.exitCode = exitCode
    }
}
