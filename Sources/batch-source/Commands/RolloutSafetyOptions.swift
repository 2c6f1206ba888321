import ArgumentParser
import BatchSource
import Foundation
import InventoryModel

/// The rollout-safety settings of `cursor create`: bake time, tiers, windows, freezes, gates.
struct RolloutSafetyOptions: ParsableArguments {
    @Option(
        name: .customLong("bake-seconds"),
        help: "After a batch completes, lease no new batch for this long (a bake time).")
    var bakeSeconds: Int?

    @Option(
        name: .customLong("tier"),
        help: ArgumentHelp(
            "A tier's host pattern, in order; repeat it: --tier canary --tier dc1 --tier 'dc2:!dc2_db'. A batch never "
                + "spans two tiers, a tier starts once the one before completed; hosts in no tier go last.",
            valueName: "pattern"))
    var tiers: [String] = []

    @Flag(name: .customLong("pause-between-tiers"), help: "Pause when a tier completes, before the next starts.")
    var pauseBetweenTiers = false

    @Flag(
        name: .customLong("cancel-on-halt"),
        help: "When the cursor halts, `drive` also cancels the AWX job it follows (an abort always does).")
    var cancelOnHalt = false

    @Option(
        name: .customLong("window"),
        help: ArgumentHelp(
            "When new batches may start, DAYS START-END [TIME_ZONE]; repeat it: --window 'sat-sun 22:00-04:00 "
                + "Europe/Berlin' (an end before the start crosses midnight; the zone defaults to UTC).",
            valueName: "window"))
    var windows: [String] = []

    @Option(
        name: .customLong("freeze"),
        help: ArgumentHelp(
            "When new batches may not start, as a window or FROM/UNTIL in RFC 3339: --freeze "
                + "2026-12-24T00:00:00Z/2026-12-27T00:00:00Z. A freeze beats a window.",
            valueName: "freeze"))
    var freezes: [String] = []

    @Option(
        name: .customLong("min-window-left-seconds"),
        help: "Start no new batch when less than this is left of the window.")
    var minWindowLeftSeconds: Int?

    @Option(
        name: .customLong("gates-file"),
        help: ArgumentHelp(
            "A JSON file with the gates, e.g. [{\"name\": \"errors\", \"type\": \"prometheus\", \"url\": "
                + "\"http://prometheus:9090\", \"query\": \"sum(rate(http_errors_total[5m])) > 1\"}] (- reads stdin).",
            valueName: "file"))
    var gatesFile: String?

    func apply(to s: inout CursorSettings) throws {
        s.bakeSeconds = bakeSeconds
        s.tiers = tiers
        s.pauseBetweenTiers = pauseBetweenTiers
        s.cancelOnHalt = cancelOnHalt
        s.windows = try windows.map { try Self.window($0, flag: "--window") }
        s.freezes = try freezes.map { text in
            let span = text.split(separator: "/", omittingEmptySubsequences: false)
            if span.count == 2 { return Freeze.span(from: String(span[0]), until: String(span[1])) }
            return .weekly(try Self.window(text, flag: "--freeze"))
        }
        s.minWindowLeftSeconds = minWindowLeftSeconds
        if let gatesFile {
            let data = Data(try readInput(gatesFile).utf8)
            do { s.gates = try JSONDecoder().decode([GateSpec].self, from: data) } catch {
                throw CLIError("--gates-file \(gatesFile): \(DecodingMessage.describe(error))")
            }
        }
    }

    /// `sat-sun 22:00-04:00 Europe/Berlin`.
    static func window(_ text: String, flag: String) throws -> WeeklyWindow {
        let words = text.split(separator: " ").map(String.init)
        let times = words.count >= 2 ? words[1].split(separator: "-").map(String.init) : []
        guard (2...3).contains(words.count), times.count == 2 else {
            throw CLIError(
                "\(flag) takes DAYS START-END [TIME_ZONE] like 'sat-sun 22:00-04:00 Europe/Berlin'; got \(text)")
        }
        let window = WeeklyWindow(
            days: words[0], start: times[0], end: times[1],
            timeZone: words.count == 3 ? words[2] : WeeklyWindow.defaultTimeZone)
        if let problem = window.problem(at: flag) { throw CLIError(problem) }
        return window
    }
}
