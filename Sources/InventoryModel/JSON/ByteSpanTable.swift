/// Numbers distinct byte strings (ranges of one buffer) in the order they were first inserted:
/// a `[String: Int]` over text that is never turned into `String`s, for the host names of a
/// claim answer (tens of thousands of lookups per `--list`).
struct ByteSpanTable {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The distinct spans, by number.
    private(set) var spans: [Range<Int>] = []
    /// Open addressing: number + 1, 0 for a free slot.
    private var slots: [Int32]
    private var mask: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, capacity: Int) {
        self.bytes = bytes
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        spans.reserveCapacity(capacity)
    }

    var count: Int { spans.count }

    @inline(__always)
    private func hash(_ span: Range<Int>) -> Int {
        // Eight bytes a step, multiplied and folded: host names are short and share long
        // prefixes, which this spreads well enough for linear probing.
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(span.count)
        var p = UnsafeRawPointer(bytes.baseAddress! + span.lowerBound)
        var n = span.count
        while n >= 8 {
            h = (h ^ p.loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            p += 8
            n -= 8
        }
        var tail: UInt64 = 0
        for k in 0..<n { tail |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << (8 * k) }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return Int(truncatingIfNeeded: h ^ (h >> 29))
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

    /// The span's number, new or as first inserted.
    mutating func insert(_ span: Range<Int>) -> (number: Int, inserted: Bool) {
        if spans.count * 2 >= slots.count { grow() }
        var slot = hash(span) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 {
                slots[slot] = Int32(spans.count + 1)
                spans.append(span)
                return (spans.count - 1, true)
            }
            if same(spans[entry - 1], span) { return (entry - 1, false) }
            slot = (slot + 1) & mask
        }
    }

    /// The span's number, if it was inserted.
    func number(of span: Range<Int>) -> Int? {
        var slot = hash(span) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if same(spans[entry - 1], span) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (n, span) in spans.enumerated() {
            var slot = hash(span) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(n + 1)
        }
    }
}
