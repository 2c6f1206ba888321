/// Numbers distinct byte strings (ranges of one buffer) in the order they were first inserted:
/// a `[String: Int]` over text that is never turned into `String`s, for the host names of a
/// claim answer (tens of thousands of lookups per `--list`).
struct ByteSpanTable {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The distinct spans, by number.
    private(set) var spans: [Range<Int>] = []
    /// Open addressing: the upper 32 bits of the span's hash, then its number + 1; 0 for a free
    /// slot. The hash bits let a probe pass a slot of another name without reading that name.
    private var slots: [UInt64]
    private var mask: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, capacity: Int) {
        self.bytes = bytes
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        spans.reserveCapacity(capacity)
    }

    var count: Int { spans.count }

    @inline(__always)
    private func hash(_ span: Range<Int>) -> UInt64 {
        // Eight bytes a step, multiplied and folded: host names are short and share long
        // prefixes, which this spreads well enough for linear probing.
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(span.count)
        let p = UnsafeRawPointer(bytes.baseAddress! + span.lowerBound)
        var k = 0
        while k + 8 <= span.count {
            h = (h ^ p.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        if k < span.count {
            var tail: UInt64
            if span.count >= 8 {
                // The last eight bytes, overlapping what was hashed: one load instead of a loop.
                tail = p.loadUnaligned(fromByteOffset: span.count - 8, as: UInt64.self)
            } else {
                tail = 0
                for j in k..<span.count { tail |= UInt64(p.load(fromByteOffset: j, as: UInt8.self)) << (8 * (j - k)) }
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        let pa = UnsafeRawPointer(bytes.baseAddress! + a.lowerBound), pb = UnsafeRawPointer(bytes.baseAddress! + b.lowerBound)
        var k = 0
        while k + 8 <= a.count {
            if pa.loadUnaligned(fromByteOffset: k, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
            k += 8
        }
        while k < a.count {
            if pa.load(fromByteOffset: k, as: UInt8.self) != pb.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// Where a probe for `hash` starts, and the tag its slots carry.
    @inline(__always)
    private func start(_ hash: UInt64) -> (slot: Int, tag: UInt64) {
        (Int(truncatingIfNeeded: hash) & mask, hash & 0xFFFF_FFFF_0000_0000)
    }

    /// The span's number, new or as first inserted.
    mutating func insert(_ span: Range<Int>) -> (number: Int, inserted: Bool) {
        if spans.count * 2 >= slots.count { grow() }
        let h = hash(span)
        var (slot, tag) = start(h)
        while true {
            let entry = slots[slot]
            if entry == 0 {
                slots[slot] = tag | UInt64(spans.count + 1)
                spans.append(span)
                return (spans.count - 1, true)
            }
            let number = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            if entry & 0xFFFF_FFFF_0000_0000 == tag, same(spans[number], span) { return (number, false) }
            slot = (slot + 1) & mask
        }
    }

    /// The span's number, if it was inserted.
    func number(of span: Range<Int>) -> Int? {
        var (slot, tag) = start(hash(span))
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let number = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            if entry & 0xFFFF_FFFF_0000_0000 == tag, same(spans[number], span) { return number }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for (n, span) in spans.enumerated() {
            var (slot, tag) = start(hash(span))
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = tag | UInt64(n + 1)
        }
    }
}
