import Foundation

/// The command `batch-source play` started for a batch, recorded on the batch's attempt
/// (`external_ref`) as `play://HOST/PID/START`, so that a play killed and started again finds
/// the run it left behind instead of starting a second one on the same hosts.
///
/// START is the process's start time from `/proc/PID/stat`, so a PID the kernel reused for
/// another process is not taken for the run.
struct PlayRunRef: Equatable, CustomStringConvertible {
    var host: String
    var pid: Int32
    var start: UInt64

    init(host: String, pid: Int32, start: UInt64) {
        self.host = host
        self.pid = pid
        self.start = start
    }

    /// `nil` when the reference was not written by `play`.
    init?(externalRef: String) {
        guard externalRef.hasPrefix("play://") else { return nil }
        let parts = externalRef.dropFirst("play://".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else {
            return nil
        }
        self.init(host: String(parts[0]), pid: pid, start: start)
    }

    /// The running process `pid` on this machine, when its start time can be read.
    static func local(pid: Int32) -> PlayRunRef? {
        guard let start = startTime(of: pid) else { return nil }
        return PlayRunRef(host: thisHost, pid: pid, start: start)
    }

    var externalRef: String { "play://\(host)/\(pid)/\(start)" }
    var description: String { "pid \(pid) on \(host)" }

    var isThisHost: Bool { host == Self.thisHost }

    /// Whether the recorded process still runs here (the same PID with the same start time).
    var isRunning: Bool {
        isThisHost && Self.startTime(of: pid) == start
    }

    static let thisHost: String = {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty ? "localhost" : name.replacingOccurrences(of: "/", with: "_")
    }()

    /// Field 22 of `/proc/PID/stat` (clock ticks after boot); the command name before it may
    /// hold spaces and parentheses, so fields are counted after its closing parenthesis.
    static func startTime(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); a zombie has exited already.
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return UInt64(fields[19])
    }
}
