import FuzzDriver
import InventoryModel

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A `batch_size` as the CLI writes it (`1,5,20%`) and as a request body's JSON carries it
// (`[1, 5, "20%"]`), planned over host counts from none to far more than any pool holds.
let hostCounts = [0, 1, 2, 7, 100, 1_000_003, Int(Int32.max)]

func plan(_ size: BatchSize) {
    for hostCount in hostCounts {
        // One tier, and the same hosts in three tiers: every host in exactly one batch, in
        // order, no batch spanning two tiers, and the count of what is left agrees.
        for ends in [[hostCount], [hostCount / 3, hostCount / 2, hostCount]] {
            var cutter = BatchCutter(tierEnds: ends)
            var next = 0
            for _ in 0..<200 {
                let left = cutter.remainingBatches(batchSize: size)
                guard let cut = cutter.cut(batchSize: size) else {
                    if left != 0 || next != hostCount {
                        fatalError("\(size) over \(ends): stopped at \(next) with \(left) batches said to be left")
                    }
                    break
                }
                let tier = cutter.positions(ofTier: cut.tier)
                guard cut.positions.lowerBound == next, !cut.positions.isEmpty,
                    tier.contains(cut.positions.lowerBound), cut.positions.upperBound <= tier.upperBound,
                    cutter.remainingBatches(batchSize: size) == left - 1
                else {
                    fatalError("\(size) over \(ends): batch \(cut.batch) is \(cut.positions), expected it from \(next)")
                }
                next = cut.positions.upperBound
            }
        }
    }
    guard let again = try? BatchSize(parsing: size.description), again.items == size.items else {
        fatalError("\(size) does not read back from its own text")
    }
}

runFuzzer { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    if let size = try? BatchSize(parsing: text) { plan(size) }
    if let size = try? JSONDecoder().decode(BatchSize.self, from: Data(bytes)) { plan(size) }
}
