/// Latencies in nanoseconds, summarised as the benchmarks print them.
struct LatencyStats {
    var samples: [UInt64] = []

    mutating func add(_ ns: UInt64) { samples.append(ns) }
    mutating func merge(_ other: LatencyStats) { samples += other.samples }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1e6
    }

    var meanMs: Double { samples.isEmpty ? 0 : Double(samples.reduce(0, +)) / Double(samples.count) / 1e6 }
}
