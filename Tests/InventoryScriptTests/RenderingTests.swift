import Foundation
import InventoryModel
@testable import InventoryScriptKit
import Testing

/// From the claim answer (as the API sends it) to the inventory `--list` prints.
@Suite("inventory-script rendering")
struct RenderingTests {
    /// A claim answer of batch 2 of cursor `web-rollout`: hosts in `web` (child of `prod`) and
    /// `ungrouped`, with group vars, a priority and host vars, in the API's JSON.
    static let claimText = """
        {"batch": {"attempt": 1, "batch_id": 2, "claim_key": "awx-inventory-update-9", "consumer": "awx-inventory-source-3",
          "groups": {
            "all": {"children": ["prod", "ungrouped"], "hosts": [], "vars": {"ntp": "pool.ntp.org"}},
            "prod": {"children": ["web"], "hosts": [], "vars": {"env": "prod", "ansible_group_priority": 5}},
            "ungrouped": {"children": [], "hosts": ["lonely"], "vars": {}},
            "web": {"children": [], "hosts": ["web3", "web4"], "vars": {"port": 8080, "ratio": 1.0}}},
          "hostvars": {"web3": {"ansible_host": "10.0.0.3", "flags": {"a": [1, 2.5, null, true]}}, "lonely": {"x": "y"}},
          "hosts": ["web3", "web4", "lonely"], "lease_expires_at": "2026-01-01T00:00:00Z", "state": "leased"},
         "cursor": "web-rollout", "cursor_state": "active", "has_more": true,
         "progress": {"batches_completed": 1, "batches_in_flight": 1, "batches_total": 4, "hosts_changed": 0, "hosts_done": 3,
           "hosts_failed": 1, "hosts_ok": 2, "hosts_skipped": 0, "hosts_unreachable": 0, "total_hosts": 12}}
        """

    static let doneText = """
        {"batch": null, "cursor": "web-rollout", "cursor_state": "done", "has_more": false,
         "progress": {"batches_completed": 4, "batches_in_flight": 0, "batches_total": 4, "hosts_changed": 0, "hosts_done": 12,
           "hosts_failed": 1, "hosts_ok": 11, "hosts_skipped": 0, "hosts_unreachable": 0, "total_hosts": 12}}
        """

    static let settings = ScriptSettings(
        service: try! ServiceURL("https://u:p@bs.example:8443", origin: "t"), token: "bs_x_y",
        cursor: "web-rollout", consumer: "awx-inventory-source-3",
        claimKey: "awx-inventory-update-9", claimKeyIsGiven: true)

    static func claim(_ text: String) throws -> ClaimResponse {
        try JSONValueDecoder().decode(ClaimResponse.self, from: try JSONParser.parse(text))
    }

    static func listed(_ text: String) throws -> JSONObject {
        let claim = try claim(text)
        let inventory = try InventoryRendering.batchInventory(claim, facts: BatchFacts.vars(claim, settings: settings))
        let bytes = InventoryRendering.output(inventory.scriptJSON(form: .export))
        #expect(bytes.last == UInt8(ascii: "\n"))
        return try #require(try JSONParser.parse(bytes: bytes).objectValue)
    }

    @Test("the decoder keeps Python types and key order, and says where a wrong answer is wrong")
    func decoder() throws {
        let claim = try Self.claim(Self.claimText)
        let batch = try #require(claim.batch)
        #expect(batch.groups?["web"]?.vars["ratio"] == .double(1.0))
        #expect(batch.groups?["web"]?.vars["port"] == .int(8080))
        #expect(batch.hostvars?["web3"]?["flags"] == ["a": [1, 2.5, nil, true]])
        #expect(Array(batch.hostvars?["web3"]?.keys ?? []) == ["ansible_host", "flags"])

        let wrong = try JSONParser.parse(
            #"{"cursor": "c", "cursor_state": "active", "has_more": "yes", "progress": {"total_hosts": 1, "hosts_done": 0, "hosts_ok": 0, "hosts_changed": 0, "hosts_failed": 0, "hosts_unreachable": 0, "hosts_skipped": 0, "batches_total": 1, "batches_completed": 0, "batches_in_flight": 0}}"#
        )
        let error = try #require(throws: DecodingError.self) {
            try JSONValueDecoder().decode(ClaimResponse.self, from: wrong)
        }
        #expect(error.pathAndReason.hasPrefix("$.has_more: expected true or false"), "\(error.pathAndReason)")
    }

    @Test("batch mode: the batch's hosts, their groups with parents and vars, host vars, facts in all")
    func batchMode() throws {
        let out = try Self.listed(Self.claimText)
        #expect(out["web"] == ["hosts": ["web3", "web4"], "vars": ["port": 8080, "ratio": 1.0]])
        #expect(out["prod"] == ["children": ["web"], "vars": ["ansible_group_priority": 5, "env": "prod"]])
        #expect(out["ungrouped"] == ["hosts": ["lonely"]])
        let all = try #require(out["all"]?.objectValue)
        #expect(all["children"] == ["ungrouped", "prod"], "ungrouped first, as ansible-core makes it")
        let vars = try #require(all["vars"]?.objectValue)
        #expect(vars["ntp"] == "pool.ntp.org", "the pool's own all vars stay")
        #expect(vars["has_more"] == true)
        #expect(vars["batch_id"] == 2)
        #expect(vars["batch_cursor"] == "web-rollout")
        #expect(vars["batch_attempt"] == 1)
        #expect(vars["batch_host_count"] == 3)
        #expect(vars["batch_total_hosts"] == 12)
        #expect(vars["batch_hosts_done"] == 3)
        #expect(vars["batch_claim_key"] == "awx-inventory-update-9")
        #expect(vars["batch_source_url"] == "https://…@bs.example:8443", "never credentials")
        let meta = try #require(out["_meta"]?.objectValue)
        #expect(
            meta["hostvars"] == [
                "lonely": ["x": "y"], "web3": ["ansible_host": "10.0.0.3", "flags": ["a": [1, 2.5, nil, true]]],
            ])
    }

    @Test("a done rollout is a valid empty inventory with has_more false")
    func done() throws {
        let out = try Self.listed(Self.doneText)
        #expect(Set(out.keys) == ["all", "_meta"])
        #expect(out["_meta"]?.objectValue?["hostvars"] == .object([:]))
        let vars = try #require(out["all"]?.objectValue?["vars"]?.objectValue)
        #expect(vars["has_more"] == false)
        #expect(vars["batch_id"] == .null)
        #expect(vars["batch_cursor_state"] == "done")
    }

    @Test("pool mode: the whole pool, the batch as group batch_current, facts in all")
    func poolMode() throws {
        let pool = try JSONParser.parse(
            """
            {"_meta": {"hostvars": {"web1": {"n": 1}}}, "all": {"children": ["ungrouped", "web"], "vars": {"ntp": "x"}},
             "web": {"hosts": ["web1", "web2", "web3", "web4"], "vars": {"port": 8080}}, "ungrouped": {"hosts": ["lonely"]}}
            """)
        let claim = try Self.claim(Self.claimText)
        let inventory = try InventoryRendering.poolInventory(
            pool, poolName: "fleet", revision: 3, claim: claim,
            facts: BatchFacts.vars(claim, settings: Self.settings))
        let out = try #require(inventory.scriptJSON(form: .export).objectValue)
        #expect(out["batch_current"] == ["hosts": ["web3", "web4", "lonely"]])
        #expect(out["web"]?.objectValue?["hosts"] == ["web1", "web2", "web3", "web4"])
        #expect(out["all"]?.objectValue?["vars"]?.objectValue?["batch_id"] == 2)
        #expect(out["_meta"]?.objectValue?["hostvars"] == ["web1": ["n": 1]])

        let done = try Self.claim(Self.doneText)
        let finished = try InventoryRendering.poolInventory(
            pool, poolName: "fleet", revision: 3, claim: done, facts: BatchFacts.vars(done, settings: Self.settings))
        #expect(finished.hosts.count == 5, "a done rollout keeps the pool, so AWX's Overwrite deletes nothing")
        #expect(finished.groups["batch_current"]?.hostIndices.isEmpty == true)

        let clash = try JSONParser.parse(#"{"batch_current": {"hosts": ["web3"]}}"#)
        let error = try #require(throws: ScriptError.self) {
            try InventoryRendering.poolInventory(clash, poolName: "fleet", revision: 3, claim: claim, facts: [:])
        }
        #expect(error.message.contains("batch_current") && error.message.contains("fleet"))
    }

    @Test("an answer whose groups name hosts outside the batch is a bad answer, not a wrong inventory")
    func inconsistentAnswer() throws {
        let text = Self.claimText.replacingOccurrences(
            "[\"web3\", \"web4\"], \"vars\"", with: "[\"web3\", \"web9\"], \"vars\"")
        let claim = try Self.claim(text)
        let error = try #require(throws: ScriptError.self) { try InventoryRendering.batchInventory(claim, facts: [:]) }
        #expect(error.kind == .badAnswer)
        #expect(error.message.contains("web9"))

        // ansible-core refuses all as a child of a group (here prod, already all's child: a loop).
        let rooted = Self.claimText.replacingOccurrences(#""children": ["web"]"#, with: #""children": ["web", "all"]"#)
        let loop = try #require(throws: ScriptError.self) {
            try InventoryRendering.batchInventory(try Self.claim(rooted), facts: [:])
        }
        #expect(
            loop.kind == .badAnswer
                && loop.message.contains("Adding group 'all' as child to 'prod' creates a recursive dependency loop."),
            "\(loop)")
    }

    @Test("--host prints the host's own vars, {} for hosts not there")
    func hostVars() throws {
        let inventory = try InventoryRendering.batchInventory(try Self.claim(Self.claimText), facts: [:])
        #expect(
            InventoryRendering.hostVars("web3", in: inventory) == [
                "ansible_host": "10.0.0.3", "flags": ["a": [1, 2.5, nil, true]],
            ])
        #expect(InventoryRendering.hostVars("web4", in: inventory) == [:])
        #expect(InventoryRendering.hostVars("elsewhere", in: inventory) == [:])
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// The API promises vars as JSON objects; `JSONObject` (an OrderedDictionary) would encode
/// itself as a `[key, value, …]` array, which no other client reads as vars.
@Suite("wire types: vars are JSON objects")
struct WireVarsTests {
    @Test("BatchInfo hostvars, BatchGroup vars and PoolHost vars encode as objects and decode back")
    func objects() throws {
        let info = BatchInfo(
            batchId: 1, state: .leased, attempt: 1, consumer: "c", claimKey: nil, leaseExpiresAt: nil,
            hosts: ["h"], hostvars: ["h": ["b": 1, "a": 2.5]], groups: ["g": BatchGroup(hosts: ["h"], vars: ["x": "y"])]
        )
        let data = try JSONEncoder().encode(info)
        let plain = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            (plain["hostvars"] as? [String: Any])?["h"] is [String: Any],
            "hostvars of a host must be an object: \(String(decoding: data, as: UTF8.self))")
        #expect(((plain["groups"] as? [String: Any])?["g"] as? [String: Any])?["vars"] is [String: Any])
        #expect(try JSONDecoder().decode(BatchInfo.self, from: data).hostvars?["h"]?["a"] == .double(2.5))
        // Key order inside vars is not part of the contract (Ansible sorts them); the values are.
        let decoded = try JSONValueDecoder().decode(
            BatchInfo.self, from: try JSONParser.parse(String(decoding: data, as: UTF8.self)))
        #expect(decoded.hostvars?["h"].map { Set($0.keys) } == ["a", "b"])
        #expect(decoded.hostvars?["h"]?["b"] == .int(1) && decoded.hostvars?["h"]?["a"] == .double(2.5))
        #expect(
            decoded.groups?["g"]?.vars == ["x": "y"] && decoded.hosts == info.hosts && decoded.batchId == info.batchId)

        let host = PoolHost(name: "h", groups: ["g"], vars: ["k": true])
        let hostPlain = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(host)) as? [String: Any])
        #expect(hostPlain["vars"] is [String: Any])
    }
}
