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
        let plan = BatchPlan(hostCount: hostCount, batchSize: size)
        // Every host in exactly one batch, in order: the first batches start where the one
        // before ends, and the last ends with the last host.
        var next = 0
        for k in stride(from: 1, through: min(plan.batchCount, 200), by: 1) {
            guard let range = plan.range(ofBatch: k), range.lowerBound == next, !range.isEmpty,
                plan.batch(containing: range.lowerBound) == k
            else {
                fatalError(
                    "\(size) over \(hostCount) hosts: batch \(k) is "
                        + "\(String(describing: plan.range(ofBatch: k))), expected it from \(next)")
            }
            next = range.upperBound
        }
        if plan.batchCount > 0, plan.range(ofBatch: plan.batchCount)?.upperBound != hostCount {
            fatalError("\(size) over \(hostCount) hosts: the last batch ends before the last host")
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
