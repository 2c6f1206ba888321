import FoundationEssentials
import InventoryModel
import Testing

@Suite("Batch cuts, as Ansible's _get_serialized_batches, tier by tier")
struct BatchCutterTests {
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

    static func walk(_ cutter: BatchCutter, _ size: BatchSize) -> [BatchCutter.Cut] {
        var cutter = cutter
        var cuts: [BatchCutter.Cut] = []
        while let cut = cutter.cut(batchSize: size) { cuts.append(cut) }
        return cuts
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
    func oneTierEqualsAnsiblesLoop(items: [BatchSize.Item]) throws {
        let size = try BatchSize(items)
        for n in Array(0...300) + [997, 1000, 1001, 4096, 10_007] {
            let start = BatchCutter(tierEnds: [n])
            let cuts = Self.walk(start, size)
            #expect(cuts.map(\.positions.count) == Self.reference(hostCount: n, items: items), "n=\(n) \(size)")
            #expect(start.remainingBatches(batchSize: size) == cuts.count, "n=\(n) \(size)")
            #expect(cuts.map(\.batch) == (0..<cuts.count).map { $0 + 1 })
            // Contiguous, covering every position once.
            #expect(cuts.first?.positions.lowerBound ?? 0 == 0)
            #expect(cuts.last?.positions.upperBound ?? 0 == n)
            #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0.positions.upperBound == $1.positions.lowerBound })
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
        let cuts = Self.walk(BatchCutter(tierEnds: [n]), try BatchSize(parsing: serial))
        #expect(cuts.map(\.positions.count) == expected)
    }

    @Test("each tier starts its ramp again, with percentages of the tier, and no batch spans two tiers")
    func rampPerTier() throws {
        // Tiers of 2, 10 and 30 hosts; a ramp of 1 host, then 50% of the tier.
        let cuts = Self.walk(BatchCutter(tierEnds: [2, 12, 42]), try BatchSize(parsing: "1,50%"))
        #expect(cuts.map(\.positions.count) == [1, 1, 1, 5, 4, 1, 15, 14])
        #expect(cuts.map(\.tier) == [0, 0, 1, 1, 1, 2, 2, 2])
        #expect(cuts.map(\.batch) == Array(1...8))
        for cut in cuts {
            let tier = BatchCutter(tierEnds: [2, 12, 42]).positions(ofTier: cut.tier)
            #expect(tier.contains(cut.positions.lowerBound) && cut.positions.upperBound <= tier.upperBound)
        }
    }

    @Test("an empty tier is skipped without a batch")
    func emptyTierSkipped() throws {
        let cuts = Self.walk(BatchCutter(tierEnds: [3, 3, 5]), try BatchSize.count(2))
        #expect(cuts.map(\.positions) == [0..<2, 2..<3, 3..<5])
        #expect(cuts.map(\.tier) == [0, 0, 2])
    }

    @Test("a cutter resumed where a cursor stands cuts what the whole walk cuts, and counts what is left")
    func resumedWalkAgrees() throws {
        let ends = [1, 7, 7, 40, 100]
        let size = try BatchSize(parsing: "1,3,25%")
        let whole = Self.walk(BatchCutter(tierEnds: ends), size)
        var cutter = BatchCutter(tierEnds: ends)
        for done in 0..<whole.count {
            let resumed = BatchCutter(
                tierEnds: ends, position: cutter.position, nextBatch: cutter.nextBatch,
                tierFirstBatch: cutter.tierFirstBatch)
            #expect(Self.walk(resumed, size) == Array(whole[done...]))
            #expect(resumed.remainingBatches(batchSize: size) == whole.count - done)
            _ = cutter.cut(batchSize: size)
        }
        #expect(cutter.cut(batchSize: size) == nil)
        #expect(cutter.remainingBatches(batchSize: size) == 0)
    }

    @Test("the batches left are counted without walking them, even for sizes near Int.max")
    func countsWithoutWalking() throws {
        let cutter = BatchCutter(tierEnds: [10, 1_000_000])
        // Tier 1 (10 hosts): 1, then 9. Tier 2 (999,990): 1, 10, then 1% (9,999) for the 999,979 left.
        #expect(cutter.remainingBatches(batchSize: try BatchSize(parsing: "1,10,1%")) == 2 + 2 + 101)
        #expect(cutter.remainingBatches(batchSize: try BatchSize.count(Int.max)) == 2)
    }
}
