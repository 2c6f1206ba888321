import ArgumentParser
import Foundation
import InventoryModel
import InventoryScriptKit

/// `inventory-script --list`'s rendering alone, in-process, on a saved claim answer: the text
/// road (ClaimAnswerText) beside the model road (parse, decode, Inventory, write), so that a
/// change to either is measured without process start-up, the network or a noisy service.
struct RenderClaim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-claim",
        abstract: "Time rendering a saved claim answer as inventory-script --list does (median of runs).")
    @Argument(help: "A claim answer, as POST /api/v1/cursors/NAME/claim gave it.") var file: String
    @Option(help: "Runs per road.") var runs = 30
    @Flag(help: "Time the text road only (for profiling it).") var textOnly = false

    func run() throws {
        let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let settings = ScriptSettings(service: try ServiceURL("http://127.0.0.1:8080", origin: "bench"), token: "bs_x_y",
                                      cursor: "c", consumer: "bench", claimKey: "bench-key", claimKeyIsGiven: true)
        var text = LatencyStats(), model = LatencyStats()
        var outputs: ([UInt8], [UInt8]) = ([], [])
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            guard let answer = ClaimAnswerText(body),
                  let summary = try? JSONValueDecoder().decode(ClaimResponse.self, from: try JSONParser.parse(bytes: answer.summary)),
                  let parts = answer.scriptJSONParts(allVars: BatchFacts.vars(summary, hostCount: answer.listedHostCount, settings: settings))
            else { throw BenchError("the text road gave up on \(file)") }
            text.add(DispatchTime.now().uptimeNanoseconds - t0)
            if textOnly { continue }
            outputs.0 = Array(parts.joined())
            let t1 = DispatchTime.now().uptimeNanoseconds
            let claim = try JSONValueDecoder().decode(ClaimResponse.self, from: try JSONParser.parse(bytes: body))
            let inventory = try InventoryRendering.batchInventory(claim, facts: BatchFacts.vars(claim, settings: settings))
            outputs.1 = InventoryRendering.output(inventory).dropLast()
            model.add(DispatchTime.now().uptimeNanoseconds - t1)
        }
        guard textOnly || outputs.0 == outputs.1 else { throw BenchError("the roads printed different inventories") }
        print(String(format: "RESULT bytes_in=%d bytes_out=%d text_ms=%.3f model_ms=%.3f", body.count, outputs.0.count,
                     text.percentile(50), model.percentile(50)))
    }
}
