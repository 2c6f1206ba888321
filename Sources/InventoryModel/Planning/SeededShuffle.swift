/// A shuffle that gives the same permutation for the same seed on every machine, OS and Swift
/// version, so that a rollout resumed elsewhere sees the same order.
///
/// The standard library's `shuffled(using:)` is not used because its algorithm (how it draws
/// from the generator) is not a documented, stable contract. Instead, all of it is written out:
///
/// 1. The seed string's UTF-8 bytes are hashed with FNV-1a 64
///    (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`).
/// 2. That hash seeds SplitMix64 (Steele, Lea and Flood 2014; the generator of `java.util.SplittableRandom`):
///    `state += 0x9e3779b97f4a7c15; z = state; z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
///    z = (z ^ (z >> 27)) * 0x94d049bb133111eb; return z ^ (z >> 31)`.
/// 3. Fisher-Yates from the end: for `i` from `n-1` down to 1, swap element `i` with element
///    `j`, `j` uniform in `0...i`, drawn by rejection: take `r = next()` until
///    `r >= (2^64 - (i+1)) % (i+1)` (i.e. `2^64 mod (i+1)`), then `j = r % (i+1)`. This removes modulo bias.
public struct SeededShuffle: Sendable, Hashable {
    private var state: UInt64

    /// A generator seeded from a string (an integer seed can be passed as its decimal text).
    public init(seed: String) {
        state = Self.fnv1a64(Array(seed.utf8))
    }

    /// A generator with an explicit SplitMix64 state.
    public init(state: UInt64) {
        self.state = state
    }

    /// FNV-1a, 64 bits.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The next SplitMix64 output.
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`, `bound > 0`, without modulo bias.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next()
            if r >= threshold { return r % bound }
        }
    }

    /// Shuffles in place (Fisher-Yates, as described above).
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        var i = elements.count - 1
        while i > 0 {
            let j = Int(next(below: UInt64(i + 1)))
            elements.swapAt(i, j)
            i -= 1
        }
    }
}
