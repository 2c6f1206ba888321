import InventoryModel
@testable import InventoryScriptKit
import Testing

// `--list` prints a batch straight from the claim answer's text (ClaimAnswerText) when it can;
// the inventory model (InventoryRendering) is the reference. These tests hold the text road to
// the same bytes for random answers, to nil wherever the model would fail, and check that the
// runner then reports the model's error.

/// Seeded randomness, so that a failing answer can be made again.
private struct Random: RandomNumberGenerator {
    var state: SeededShuffle
    init(_ seed: UInt64) { state = SeededShuffle(state: seed) }
    mutating func next() -> UInt64 { state.next() }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}

/// Vars with keys in random order; `wild` also gives keys outside ASCII (which the text road
/// leaves to the model).
private func randomVars(_ g: inout Random, wild: Bool, depth: Int = 0) -> JSONObject {
    var vars = JSONObject()
    for _ in 0..<Int.random(in: 0...(depth == 0 ? 6 : 3), using: &g) {
        let key = g.pick(["ansible_host", "rack", "weight", "zone", "Tags", "a b", "_x", "hw", "port", "ansible_group_priority"]
            + (wild ? ["é", "e\u{301}"] : []))
        let value: JSONValue
        switch Int.random(in: 0..<9, using: &g) {
        case 0: value = .int(Int.random(in: -5...70000, using: &g))
        case 1: value = .double(g.pick([0.5, 1.201, -3.25, 1e-7, 1e20, 0.1 + 0.2, 100.0]))
        case 2: value = .bool(g.chance(0.5))
        case 3: value = .null
        case 4: value = .string(g.pick(["10.0.0.1", "C:\\path", "line\nbreak", "quote \"q\"", "漢字", "😀", ""]))
        case 5 where depth < 2: value = .object(randomVars(&g, wild: wild, depth: depth + 1))
        case 6: value = .array([.int(1), .string("two"), .array([]), .object([:])])
        default: value = .string("v\(Int.random(in: 0..<100, using: &g))")
        }
        vars[key] = value
    }
    return vars
}

/// A claim answer with up to 30 hosts and 8 groups, written as the API would (compact) but with
/// keys in random order. `wild` lets it break the model's rules: undescribed children, loops,
/// hosts that are not in the batch, bad priorities, names outside ASCII.
private func randomAnswer(_ g: inout Random, wild: Bool) -> String {
    let hostPool = (1...40).map { "h\($0).example" } + ["Upper", "z"] + (wild ? ["é-host"] : [])
    let hosts = (0..<Int.random(in: 0...30, using: &g)).map { _ in g.pick(hostPool) }
    var groupNames = Array(Set((0..<Int.random(in: 0...8, using: &g)).map { _ in
        g.pick(["all", "ungrouped", "web", "db", "Web", "_meta", "zeta", "g-1", "é", "10s"])
    }))
    groupNames.shuffle(using: &g)
    var groups: [(String, JSONValue)] = []
    for (n, name) in groupNames.enumerated() {
        var group = JSONObject()
        // Children only later in the list (no loops), unless wild.
        let candidates = wild ? groupNames + ["undescribed"] : groupNames[(n + 1)...].filter { $0 != "all" }
        var children: [JSONValue] = []
        if !candidates.isEmpty {
            for _ in 0..<Int.random(in: 0...2, using: &g) { children.append(.string(g.pick(candidates))) }
        }
        let memberPool = wild && g.chance(0.2) ? hostPool : hosts
        var members: [JSONValue] = []
        if !memberPool.isEmpty {
            for _ in 0..<Int.random(in: 0...6, using: &g) { members.append(.string(g.pick(memberPool))) }
        }
        var vars = randomVars(&g, wild: wild)
        if !wild, vars["ansible_group_priority"] != nil { vars["ansible_group_priority"] = .int(Int.random(in: 0...9, using: &g)) }
        for key in ["hosts", "children", "vars"].shuffled(using: &g) {
            switch key {
            case "hosts": if g.chance(0.9) { group["hosts"] = .array(members) }
            case "children": if g.chance(0.9) { group["children"] = .array(children) }
            default: if g.chance(0.9) { group["vars"] = g.chance(0.1) ? .null : .object(vars) }
            }
        }
        groups.append((name, .object(group)))
    }
    var hostvars: [(String, JSONValue)] = []
    let varsPool = wild && g.chance(0.2) ? hostPool : Array(Set(hosts))
    for name in varsPool.shuffled(using: &g) where g.chance(0.7) {
        hostvars.append((name, .object(g.chance(0.1) ? [:] : randomVars(&g, wild: wild))))
    }
    if g.chance(0.5) { hostvars.sort { codePointLess($0.0, $1.0) } }
    var batch = JSONObject()
    let batchMembers: [(String, JSONValue)] = [
        ("attempt", 1), ("batch_id", .int(Int.random(in: 1...9, using: &g))), ("claim_key", "k"), ("consumer", "c"),
        ("lease_expires_at", "2026-12-01T10:00:00Z"), ("state", "leased"),
        ("groups", g.chance(0.05) ? .null : .object(JSONObject(uniqueKeysWithValues: groups))),
        ("hosts", .array(hosts.map { .string($0) })),
        ("hostvars", g.chance(0.05) ? .null : .object(JSONObject(uniqueKeysWithValues: hostvars))),
    ]
    for (key, value) in batchMembers.shuffled(using: &g) { batch[key] = value }
    let progress: JSONObject = ["batches_completed": 0, "batches_in_flight": 1, "batches_total": 3, "hosts_changed": 0,
                                "hosts_done": 0, "hosts_failed": 0, "hosts_ok": 0, "hosts_skipped": 0, "hosts_unreachable": 0,
                                "total_hosts": 90]
    let answer: JSONObject = ["progress": .object(progress), "batch": .object(batch), "cursor": "c", "cursor_state": "active",
                              "has_more": true]
    return JSONWriter(indent: g.chance(0.2) ? 1 : nil, sortKeys: false).string(.object(answer))
}

/// The model's `--list` bytes for an answer, or its error.
private func modelOutput(_ text: String) -> Result<[UInt8], ScriptError> {
    do throws(ScriptError) {
        let claim: ClaimResponse
        do {
            claim = try RenderingTests.claim(text)
        } catch {
            throw ScriptError(.badAnswer, "\(error)")
        }
        let facts = BatchFacts.vars(claim, settings: RenderingTests.settings)
        return .success(InventoryRendering.output(try InventoryRendering.batchInventory(claim, facts: facts)))
    } catch {
        return .failure(error)
    }
}

/// The text road's bytes, with the facts from the summary, as the runner computes them.
private func textOutput(_ text: String) throws -> [UInt8]? {
    guard let answer = ClaimAnswerText(Array(text.utf8)) else { return nil }
    let claim = try JSONValueDecoder().decode(ClaimResponse.self, from: try JSONParser.parse(bytes: answer.summary))
    let facts = BatchFacts.vars(claim, hostCount: answer.listedHostCount, settings: RenderingTests.settings)
    guard var bytes = answer.scriptJSON(allVars: facts) else { return nil }
    bytes.append(UInt8(ascii: "\n"))
    return bytes
}

/// Answers every request with one body.
private struct CannedTransport: HTTPTransport {
    let body: String
    func perform(_ request: HTTPRequest) throws(TransportFailure) -> HTTPResponse {
        HTTPResponse(status: 200, body: Array(body.utf8), retryAfterSeconds: nil)
    }
}

@Suite("claim answer text")
struct ClaimAnswerTextTests {
    @Test("the rendering tests' answer: the same bytes as the model, facts from the summary included")
    func knownAnswer() throws {
        let text = try #require(try textOutput(RenderingTests.claimText))
        #expect(text == (try modelOutput(RenderingTests.claimText).get()))
        let answer = try #require(ClaimAnswerText(Array(RenderingTests.claimText.utf8)))
        let summary = try JSONValueDecoder().decode(ClaimResponse.self, from: try JSONParser.parse(bytes: answer.summary))
        let full = try RenderingTests.claim(RenderingTests.claimText)
        #expect(summary.batch?.hosts == [] && summary.batch?.groups == nil && summary.batch?.hostvars == nil)
        #expect(BatchFacts.vars(summary, hostCount: answer.listedHostCount, settings: RenderingTests.settings)
            == BatchFacts.vars(full, settings: RenderingTests.settings))
    }

    @Test("random well-formed answers: always the text road, always the model's bytes")
    func wellFormed() throws {
        var g = Random(1201)
        for _ in 0..<1500 {
            let text = randomAnswer(&g, wild: false)
            let expected = try modelOutput(text).get()
            let got = try textOutput(text)
            #expect(got != nil, "the text road gave up on a well-formed answer: \(text)")
            #expect(got == nil || got! == expected, "\(text)")
        }
    }

    @Test("random answers that may break the rules: where the model fails the text road gives nil, elsewhere the same bytes")
    func wild() throws {
        var g = Random(77)
        var failures = 0
        for _ in 0..<1500 {
            let text = randomAnswer(&g, wild: true)
            let got = try textOutput(text)
            switch modelOutput(text) {
            case .success(let expected): #expect(got == nil || got! == expected, "\(text)")
            case .failure:
                failures += 1
                #expect(got == nil, "the text road printed an answer the model rejects: \(text)")
            }
        }
        #expect(failures > 100, "the generator should break the rules often, broke them \(failures) times")
    }

    @Test("host vars that grow more than twice when laid out (small lists deep down): more room, the same bytes")
    func outgrowingRoom() throws {
        let hosts = (0..<4000).map { "h\($0)" }
        let vars = #"{"p": [[1, 2, 3, 4, 5, 6, 7, 8], [9, [10, [11, [12]]]]], "q": {"r": {"s": [0, 0, 0, 0]}}}"#
        let hostvars = hosts.map { "\"\($0)\": \(vars)" }.joined(separator: ", ")
        let names = hosts.map { "\"\($0)\"" }.joined(separator: ", ")
        let text = #"{"batch": {"attempt": 1, "batch_id": 1, "state": "leased", "groups": {"all": {"children": [], "hosts": [], "vars": {}}}, "#
            + #""hosts": [\#(names)], "hostvars": {\#(hostvars)}}, "cursor": "c", "cursor_state": "active", "has_more": false, "#
            + #""progress": {"batches_completed": 0, "batches_in_flight": 1, "batches_total": 1, "hosts_changed": 0, "hosts_done": 0, "#
            + #""hosts_failed": 0, "hosts_ok": 0, "hosts_skipped": 0, "hosts_unreachable": 0, "total_hosts": 4000}}"#
        let got = try #require(try textOutput(text))
        #expect(got.count > 3 * text.utf8.count, "the layout should more than double the text")
        #expect(got == (try modelOutput(text).get()))
    }

    @Test("answers the text road leaves to the model", arguments: [
        (#""hosts": ["web3", "web4", "lonely"]"#, #""hosts": ["web3", "web4", "lonely"], "hosts": ["web3"]"#),
        (#""web3": {"ansible_host""#, #""web\u0033": {"ansible_host""#),
        (#""hosts": ["web3", "web4", "lonely"]"#, #""hosts": ["web3", "web4", "lo\nnely"]"#),
        (#"{"batch": {"#, "\u{FEFF}{\"batch\": {"),
        (#""lonely": {"x": "y"}"#, #""lonely": {"x": "y", "x": "z"}"#),
        (#""lonely": {"x": "y"}"#, #""lonely": {"x": "y"}, "web3": {}"#),
        (#""lonely": {"x": "y"}"#, #""lonely": ["x"]"#),
        (#""hosts": ["lonely"]"#, #""hosts": ["lonely", "nobody"]"#),
        (#""children": ["web"]"#, #""children": ["web", "nowhere"]"#),
        (#""children": ["web"]"#, #""children": ["web", "prod"]"#),
        (#""children": ["web"]"#, #""children": ["web", "all"]"#),
        // Canonically equivalent keys: one key to Swift's String (the model), two to bytes.
        (#""lonely": {"x": "y"}"#, #""lonely": {"\#u{E9}": 1, "e\#u{301}": 2}"#),
        (#""hosts": ["web3", "web4", "lonely"]"#, #""hosts": ["web3", "web4", "lonely", "\#u{E9}"]"#),
        (#""ansible_group_priority": 5"#, #""ansible_group_priority": "five""#),
        (#""total_hosts": 12}}"#, #""total_hosts": 12}} x"#),
        (#""total_hosts": 12}}"#, #""total_hosts": 12}, "cursor": "again"}"#),
    ])
    func leftToTheModel(original: String, changed: String) throws {
        #expect(RenderingTests.claimText.contains(original))
        let text = RenderingTests.claimText.replacingOccurrences(original, with: changed)
        #expect(try textOutput(text) == nil, "\(text)")
    }

    @Test("the runner prints the text road's bytes, and for a wrong answer the model's error")
    func runner() throws {
        let settings = RenderingTests.settings
        func list(_ body: String) throws(ScriptError) -> [UInt8] {
            let client = BatchSourceClient(transport: CannedTransport(body: body), service: settings.service,
                                           policy: RetryPolicy(retries: 0, totalSeconds: 1))
            return Array(try ScriptRunner(settings: settings, client: client).list().joined())
        }
        #expect(try list(RenderingTests.claimText) == (try modelOutput(RenderingTests.claimText).get()))
        let wrong = RenderingTests.claimText.replacingOccurrences(#""hosts": ["lonely"]"#, with: #""hosts": ["lonely", "nobody"]"#)
        let error = try #require(throws: ScriptError.self) { try list(wrong) }
        #expect(error.kind == .badAnswer && error.message.contains("lists host nobody, which is not in batch 2"), "\(error)")
        // The done rollout's answer (no batch) takes the model's road.
        #expect(try list(RenderingTests.doneText) == (try modelOutput(RenderingTests.doneText).get()))
    }
}
