import FoundationEssentials
import InventoryModel
import Testing

@Suite("Batch plans, as Ansible's _get_serialized_batches")
struct BatchPlanTests {
    /// ansible-core's `PlaybookExecutor._get_serialized_batches`, transcribed: pop `serial`
    /// hosts per batch, `serial` from the current list item, the last item repeating.
    static func reference(hostCount: Int, items: [BatchSize.Item]) -> [Int] {
        var remaining = hostCount
        var current = 0
        var sizes: [Int] = []
        while remaining > 0 {
            let serial = items[current].size(hostCount: hostCount)
            let taken = min(serial, remaining)
            sizes.append(taken)
            remaining -= taken
            current = min(current + 1, items.count - 1)
        }
        return sizes
    }

    static let sizes: [[BatchSize.Item]] = [
        [.count(1)], [.count(2)], [.count(3)], [.count(7)], [.count(25)], [.count(1000)],
        [.percent(1)], [.percent(10)], [.percent(29)], [.percent(33)], [.percent(50)], [.percent(100)], [.percent(150)],
        [.count(1), .count(5), .percent(20)], [.count(1), .percent(30), .count(2)], [.count(5), .count(1)],
        [.count(2), .count(5), .percent(50)], [.percent(57), .percent(10)],
        [.count(1), .count(1), .count(1), .count(4)],
        [.percent(1), .count(3), .percent(99)], [.count(100), .count(1)],
    ]

    @Test(arguments: sizes)
    func equalsAnsiblesLoop(items: [BatchSize.Item]) throws {
        let size = try BatchSize(items)
        for n in Array(0...300) + [997, 1000, 1001, 4096, 10_007] {
            let plan = BatchPlan(hostCount: n, batchSize: size)
            let expected = Self.reference(hostCount: n, items: items)
            let ranges = plan.ranges
            #expect(plan.batchCount == expected.count, "n=\(n) \(size)")
            #expect(ranges.map(\.count) == expected, "n=\(n) \(size)")
            // Contiguous, covering every position once.
            #expect(ranges.first?.lowerBound ?? 0 == 0)
            #expect(ranges.last?.upperBound ?? 0 == n)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            for (k, r) in ranges.enumerated() where !r.isEmpty {
                #expect(plan.batch(containing: r.lowerBound) == k + 1)
                #expect(plan.batch(containing: r.upperBound - 1) == k + 1)
            }
            #expect(plan.range(ofBatch: 0) == nil)
            #expect(plan.range(ofBatch: plan.batchCount + 1) == nil)
            #expect(plan.batch(containing: n) == nil)
        }
    }

    /// Batch sizes printed by ansible-core 2.19.14's own `_get_serialized_batches`, called with
    /// a stub inventory of n hosts.
    static let ansibleCases: [(Int, String, [Int])] = [
        (100, "29%", [28, 28, 28, 16]),
        (10, "1,30%,2", [1, 3, 2, 2, 2]),
        (7, "3", [3, 3, 1]),
        (5, "1%", [1, 1, 1, 1, 1]),
        (12, "2,5,50%", [2, 5, 5]),
        (3, "5,1", [3]),
        (100, "57%,10%", [56, 10, 10, 10, 10, 4]),
        (1, "150%", [1]),
    ]

    @Test(arguments: ansibleCases)
    func matchesRealAnsible(n: Int, serial: String, expected: [Int]) throws {
        let plan = BatchPlan(hostCount: n, batchSize: try BatchSize(parsing: serial))
        #expect(plan.ranges.map(\.count) == expected)
    }

    @Test func directAccessToALateBatch() throws {
        let plan = BatchPlan(hostCount: 1_000_000, batchSize: try BatchSize(parsing: "1,10,1%"))
        #expect(plan.batchCount == 2 + 99 + 1)  // 999_989 hosts in 10_000s: 99 full + 1 of 9_989
        #expect(plan.range(ofBatch: 1) == 0..<1)
        #expect(plan.range(ofBatch: 2) == 1..<11)
        #expect(plan.range(ofBatch: 3) == 11..<10_011)
        #expect(plan.range(ofBatch: 102) == 990_011..<1_000_000)
        #expect(plan.batch(containing: 999_999) == 102)
    }

    @Test func emptyPlan() throws {
        let plan = BatchPlan(hostCount: 0, batchSize: try BatchSize.count(5))
        #expect(plan.batchCount == 0)
        #expect(plan.range(ofBatch: 1) == nil)
    }

    @Test func codableKeepsInputs() throws {
        let plan = BatchPlan(hostCount: 42, batchSize: try BatchSize(parsing: "1,50%"))
        let data = try JSONEncoder().encode(plan)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"batch_size\":[1,\"50%\"]"))
        #expect(json.contains("\"batch_count\":3"))
        #expect(try JSONDecoder().decode(BatchPlan.self, from: data) == plan)
    }
}
