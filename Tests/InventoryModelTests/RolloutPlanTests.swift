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
        #expect(plan.batches.ranges.map(\.count) == [3, 3, 1])
        #expect(plan.hostNames(inBatch: 3, in: Self.inventory) == ["web10"])
        #expect(plan.hostIndices(inBatch: 4) == nil)
    }

    /// `ansible -i inv all --limit '!web' --list-hosts`.
    @Test func exclusionOnlyLimit() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: HostPattern("!web"), order: .inventory,
            batchSize: .percent(50))
        #expect(names(plan) == ["zeta", "loner", "db2", "lb.example.com", "Web9", "web1grouphost"])
        #expect(plan.batches.ranges == [0..<3, 3..<6])
    }

    @Test func noLimitIsAll() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: nil, order: .reverseInventory, batchSize: .count(100))
        #expect(names(plan) == HostPatternTests.everyone.reversed())
        #expect(plan.batches.batchCount == 1)
    }

    @Test func emptySelectionWarns() throws {
        let plan = try RolloutPlan(
            inventory: Self.inventory, limit: HostPattern("nomatch"), order: .sorted,
            batchSize: .count(1))
        #expect(plan.hostIndices.isEmpty)
        #expect(plan.batches.batchCount == 0)
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
        #expect(try make("s1").batches.ranges.map(\.count) == [1, 2, 5, 2])  // 10 hosts
    }

    @Test func subscriptErrorsPropagate() {
        #expect(throws: InventoryError("No hosts matched the subscripted pattern 'web[20]'")) {
            try RolloutPlan(
                inventory: Self.inventory, limit: HostPattern("web[20]"), order: .inventory, batchSize: .count(1))
        }
    }
}
