/// How `hostCount` hosts split into batches for a ``BatchSize``: the batches of ansible-core's
/// `PlaybookExecutor._get_serialized_batches`, by position in the ordered host list.
///
/// Batch `k` (1-based, the API's `batch_id`) is found in O(length of the ramp list): the ramp's
/// items are summed once, and every batch after the ramp has the last item's size, so no
/// earlier batch is walked.
public struct BatchPlan: Sendable, Hashable, Codable {
    /// The number of hosts being split.
    public let hostCount: Int
    public let batchSize: BatchSize
    /// How many batches there are; 0 when there are no hosts.
    public let batchCount: Int
    /// End position (exclusive) of each ramp batch, cut at `hostCount`.
    private let rampEnds: [Int]
    /// Size of every batch after the ramp.
    private let steadySize: Int

    public init(hostCount: Int, batchSize: BatchSize) {
        precondition(hostCount >= 0, "hostCount must not be negative")
        self.hostCount = hostCount
        self.batchSize = batchSize
        var ends: [Int] = []
        var end = 0
        for item in batchSize.items where end < hostCount {
            // Sizes are resolved against the whole host count, as pct_to_int is called with it.
            end += min(item.size(hostCount: hostCount), hostCount - end)
            ends.append(end)
        }
        rampEnds = ends
        steadySize = min(batchSize.items.last!.size(hostCount: hostCount), max(hostCount, 1))
        if end >= hostCount {
            // The ramp ends where the hosts do; a trailing ramp item never yields an empty batch.
            batchCount = ends.count
        } else {
            let left = hostCount - end
            batchCount = ends.count + (left + steadySize - 1) / steadySize
        }
    }

    /// The positions (into the ordered host list) of batch `k`, 1-based; nil outside `1...batchCount`.
    public func range(ofBatch k: Int) -> Range<Int>? {
        guard k >= 1, k <= batchCount else { return nil }
        if k <= rampEnds.count {
            return (k == 1 ? 0 : rampEnds[k - 2])..<rampEnds[k - 1]
        }
        let rampEnd = rampEnds.last ?? 0
        let start = rampEnd + (k - rampEnds.count - 1) * steadySize
        return start..<min(start + steadySize, hostCount)
    }

    /// The batch (1-based) that holds the host at `position`; nil outside `0..<hostCount`.
    public func batch(containing position: Int) -> Int? {
        guard position >= 0, position < hostCount else { return nil }
        if let k = rampEnds.firstIndex(where: { position < $0 }) { return k + 1 }
        return rampEnds.count + (position - (rampEnds.last ?? 0)) / steadySize + 1
    }

    /// Every batch's range, in order; for tests and small plans (it walks all batches).
    public var ranges: [Range<Int>] { (0..<batchCount).map { range(ofBatch: $0 + 1)! } }

    private enum CodingKeys: String, CodingKey {
        case hostCount = "host_count", batchSize = "batch_size", batchCount = "batch_count"
    }

    /// Only the inputs (and the count, for readers) are stored; the rest is recomputed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let count = try c.decode(Int.self, forKey: .hostCount)
        guard count >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .hostCount, in: c, debugDescription: "host_count must not be negative")
        }
        self.init(hostCount: count, batchSize: try c.decode(BatchSize.self, forKey: .batchSize))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostCount, forKey: .hostCount)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(batchCount, forKey: .batchCount)
    }
}
