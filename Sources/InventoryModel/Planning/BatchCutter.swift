/// Cuts a rollout's ordered host list into batches one at a time, tier by tier.
///
/// The engine makes each batch only when it is handed out, with the batch size of that moment
/// (a merge patch may change it for batches not yet made), so the cut is a walk: where the
/// plan stands, the number of the next batch, and the batch that opened the current tier.
/// A batch never spans two tiers, and the ramp of a ``BatchSize`` starts again in each tier,
/// its percentages taken of the tier's hosts. A plan preview and a dry run walk the same way,
/// so what they show is what the engine will hand out.
public struct BatchCutter: Sendable, Hashable {
    /// The end (exclusive) of each tier's positions, ascending; the last is the plan's host count.
    public let tierEnds: [Int]
    /// The first position not yet in a batch.
    public private(set) var position: Int
    /// The number the next batch gets (1-based).
    public private(set) var nextBatch: Int
    /// The number of the first batch of the tier that ``position`` is in.
    public private(set) var tierFirstBatch: Int

    /// One cut batch: its number, its tier (an index into ``tierEnds``) and its positions.
    public struct Cut: Sendable, Hashable {
        public var batch: Int
        public var tier: Int
        public var positions: Range<Int>
    }

    /// A walk from the start of a plan whose tiers end at `tierEnds` (a plan without tiers has
    /// one tier ending at its host count).
    public init(tierEnds: [Int]) {
        self.init(tierEnds: tierEnds, position: 0, nextBatch: 1, tierFirstBatch: 1)
    }

    /// A walk resumed where a stored cursor stands.
    public init(tierEnds: [Int], position: Int, nextBatch: Int, tierFirstBatch: Int) {
        precondition(!tierEnds.isEmpty && zip(tierEnds, tierEnds.dropFirst()).allSatisfy { $0 <= $1 })
        self.tierEnds = tierEnds
        self.position = position
        self.nextBatch = nextBatch
        self.tierFirstBatch = tierFirstBatch
    }

    /// All hosts of the plan.
    public var hostCount: Int { tierEnds.last! }

    /// The tier a position is in; the last tier for the plan's end.
    public func tier(of position: Int) -> Int {
        tierEnds.firstIndex { position < $0 } ?? tierEnds.count - 1
    }

    /// The positions of a tier.
    public func positions(ofTier t: Int) -> Range<Int> {
        (t == 0 ? 0 : tierEnds[t - 1])..<tierEnds[t]
    }

    /// The batch the next cut would give, without cutting it; nil at the plan's end.
    public func peek(batchSize: BatchSize) -> Cut? {
        guard position < hostCount else { return nil }
        let t = tier(of: position)
        let span = positions(ofTier: t)
        let nominal = batchSize.nominalSize(ofBatch: nextBatch - tierFirstBatch + 1, hostCount: span.count)
        let size = min(span.upperBound - position, max(1, nominal))
        return Cut(batch: nextBatch, tier: t, positions: position..<(position + size))
    }

    /// Cuts the next batch and moves past it; nil at the plan's end.
    public mutating func cut(batchSize: BatchSize) -> Cut? {
        guard let cut = peek(batchSize: batchSize) else { return nil }
        position = cut.positions.upperBound
        nextBatch += 1
        if position == positions(ofTier: cut.tier).upperBound { tierFirstBatch = nextBatch }
        return cut
    }

    /// How many batches are still to be cut with this batch size, without walking them one by
    /// one: per tier, the ramp's items, then a division for the steady size (written so that a
    /// size near `Int.max` cannot overflow).
    public func remainingBatches(batchSize: BatchSize) -> Int {
        guard position < hostCount else { return 0 }
        var count = 0
        let items = batchSize.items
        let current = tier(of: position)
        for t in current..<tierEnds.count {
            let span = positions(ofTier: t)
            var remaining = span.upperBound - max(position, span.lowerBound)
            var k = t == current ? nextBatch - tierFirstBatch + 1 : 1
            while remaining > 0 && k < items.count {
                remaining -= max(1, items[k - 1].size(hostCount: span.count))
                count += 1
                k += 1
            }
            if remaining > 0 {
                let size = max(1, items[min(k, items.count) - 1].size(hostCount: span.count))
                count += remaining / size + (remaining % size == 0 ? 0 : 1)
            }
        }
        return count
    }
}
