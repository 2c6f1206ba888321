import Foundation
import InventoryModel

/// Exit statuses of `batch-source drive`, for pipelines.
enum DriveExit {
    /// Every host of the rollout is in a completed batch.
    static let done: Int32 = 0
    /// The rollout stopped: halted by a threshold, aborted, or a job ended in error/canceled.
    static let stopped: Int32 = 1
    /// Bad flags or settings, or AWX refused a request (4xx): change something, then rerun.
    static let usage: Int32 = 2
    /// The cursor is paused (an operator, or `pause_after`): resume it, then rerun.
    static let paused: Int32 = 3
    /// AWX or the service did not answer after retries; the batch stays held: rerun to go on.
    static let unreachable: Int32 = 4
}

/// Messages on stderr that are not the drive's output (retries, warnings).
enum DriveLog {
    static func retry(_ text: String) { write("retry: " + text) }
    static func warning(_ text: String) { write("warning: " + text) }
    static func write(_ text: String) {
        FileHandle.standardError.write(Data("batch-source drive: \(text)\n".utf8))
    }
}

/// What the drive shows: a live line per batch for people (redrawn on a terminal, a line per
/// change otherwise) or one JSON object per line for CI logs (`--json`).
final class DriveDisplay {
    let json: Bool
    let tty: Bool
    private var lastLine = ""
    private var lastKey = ""
    private var lineOpen = false

    init(json: Bool) {
        self.json = json
        self.tty = !json && isatty(STDOUT_FILENO) == 1
    }

    /// One JSON line: `{"event": …, "time": …, …}`.
    func emit(_ event: String, _ fields: JSONObject) {
        guard json else { return }
        var object: JSONObject = ["event": .string(event), "time": .string(Self.now())]
        for (k, v) in fields { object[k] = v }
        Output.line(JSONWriter(indent: nil, sortKeys: false).string(.object(object)))
    }

    /// A line for people that stays (ends any live line first).
    func say(_ text: String) {
        guard !json else { return }
        closeLive()
        Output.line(text)
    }

    /// The live status of the batch being run: redrawn on a terminal; elsewhere (CI logs)
    /// printed only when `changeKey` (the job's status) changes, not on every poll.
    func live(_ text: String, changeKey: String? = nil) {
        guard !json else { return }
        if tty {
            guard text != lastLine else { return }
            StandardOutput.write("\r\u{1B}[K\(text)")
            lineOpen = true
        } else {
            let key = changeKey ?? text
            guard key != lastKey else { return }
            lastKey = key
            Output.line(text)
        }
        lastLine = text
    }

    func closeLive() {
        if lineOpen { Output.line("") }
        lineOpen = false
        lastLine = ""
        lastKey = ""
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    static func counts(_ results: [String: HostStatus]) -> [HostStatus: Int] {
        var counts: [HostStatus: Int] = [:]
        for status in results.values { counts[status, default: 0] += 1 }
        return counts
    }

    static func countsText(_ counts: [HostStatus: Int]) -> String {
        HostStatus.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func countsJSON(_ counts: [HostStatus: Int]) -> JSONValue {
        var object: JSONObject = [:]
        for status in HostStatus.allCases { object[status.rawValue] = .int(counts[status] ?? 0) }
        return .object(object)
    }
}

extension JSONObject {
    /// The facts of an event with more of them added, `other` winning where both have a key.
    func merging(_ other: JSONObject) -> JSONObject {
        var copy = self
        for (k, v) in other { copy[k] = v }
        return copy
    }
}
