import InventoryModel
import Testing

@Suite("Rollout plans: hosts: all + --limit + order + serial")
struct RolloutPlanTests {
    static let inventory = HostPatternTests.inventory

    func names(_ plan: RolloutPlan) -> [String] { plan.hostIndices.map { Self.inventory.hosts.keys[$0] } }

    /// `ansible -i inv all --limit 'db,web' --list-hosts` (ansible-core 2.19.14): the limit filters
    /// `all`'s order, it does not impose its own (`ansible 'db,web'` would list db first).
    @Test func limitFiltersAllsOrder() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: HostPattern("db,web"), order: .inventory,
            batchSize: .count(3))
        #expect(names(plan) == ["web3", "web1", "web2", "www.example.com", "db1", "db2", "web10"])
        #expect(plan.batches.map(\.positions.count) == [3, 3, 1])
        #expect(plan.hostNames(inBatch: 3, in: Self.inventory) == ["web10"])
        #expect(plan.hostIndices(inBatch: 4) == nil)
    }

    /// `ansible -i inv all --limit '!web' --list-hosts`.
    @Test func exclusionOnlyLimit() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: HostPattern("!web"), order: .inventory,
            batchSize: .percent(50))
        #expect(names(plan) == ["zeta", "loner", "db2", "lb.example.com", "Web9", "web1grouphost"])
        #expect(plan.batches.map(\.positions) == [0..<3, 3..<6])
    }

    @Test func noLimitIsAll() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: nil, order: .reverseInventory, batchSize: .count(100))
        #expect(names(plan) == HostPatternTests.everyone.reversed())
        #expect(plan.batches.count == 1)
    }

    @Test func emptySelectionWarns() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: HostPattern("nomatch"), order: .sorted,
            batchSize: .count(1))
        #expect(plan.hostIndices.isEmpty)
        #expect(plan.batches.count == 0)
        #expect(
            plan.warnings == [
                "Could not match supplied host pattern, ignoring: nomatch", "No hosts matched, nothing to do",
            ])
    }

    @Test func sameInputsSamePlan() throws {
        func make(_ seed: String) throws -> RolloutPlan {
            try RolloutPlan(
                inventory: Self.inventory, limit: HostPattern("all:!lb"), order: .shuffle, seed: seed,
                batchSize: BatchSize(parsing: "1,2,50%"))
        }
        #expect(try make("s1") == make("s1"))
        #expect(try make("s1").hostIndices.sorted() == make("s2").hostIndices.sorted())
        #expect(try make("s1").batches.map(\.positions.count) == [1, 2, 5, 2])  // 10 hosts
    }

    @Test func subscriptErrorsPropagate() {
        #expect(throws: InventoryError("No hosts matched the subscripted pattern 'web[20]'")) {
            try RolloutPlan(
                inventory: Self.inventory, limit: HostPattern("web[20]"), order: .inventory, batchSize: .count(1))
        }
    }

    @Test("tiers: the first matching tier takes a host, order is kept within a tier, the rest go last")
    func tiersGroupTheOrder() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: nil, order: .inventory,
            tiers: [HostPattern("db"), HostPattern("lb"), HostPattern("nomatch")], batchSize: .count(2))
        let db: Set = ["db1", "db2", "web1"]
        let second: Set = ["lb.example.com", "Web9"]
        let everyone = HostPatternTests.everyone
        let expected =
            everyone.filter(db.contains) + everyone.filter { second.contains($0) && !db.contains($0) }
            + everyone.filter { !db.contains($0) && !second.contains($0) }
        #expect(names(plan) == expected)
        #expect(plan.tierEnds == [3, 5, 5, everyone.count])
        #expect(plan.warnings == ["tier 3 (nomatch) matches none of the rollout's hosts"])
        // 2-host batches within each tier: 3 → 2+1, 2 → 2, the rest (7) in pairs and one.
        #expect(plan.batches.map(\.positions.count) == [2, 1, 2, 2, 2, 2, 1])
        #expect(plan.batches.map(\.tier) == [0, 0, 1, 3, 3, 3, 3])
    }

    @Test("tiers keep a shuffle's order within each tier, so the plan stays a pure function of its inputs")
    func tiersKeepShuffle() throws {
        func make(_ seed: String) throws -> RolloutPlan {
            try RolloutPlan(
                inventory: Self.inventory, limit: nil, order: .shuffle, seed: seed, tiers: [HostPattern("web")],
                batchSize: .count(1))
        }
        let untiered = try RolloutPlan(
            inventory: Self.inventory, limit: nil, order: .shuffle, seed: "s1", batchSize: .count(1))
        let web = Set(try HostPattern("web").evaluate(in: Self.inventory))
        #expect(try make("s1") == make("s1"))
        #expect(
            try make("s1").hostIndices
                == untiered.hostIndices.filter(web.contains) + untiered.hostIndices.filter { !web.contains($0) })
    }
}
