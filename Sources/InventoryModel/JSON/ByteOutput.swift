/// Bytes appended through a pointer into storage lent for a while (an array's uninitialized
/// capacity, see ``JSONTextRewriter``): `[UInt8].append(contentsOf:)` checks uniqueness and
/// capacity and goes through a generic copy on every call, and rewriting a claim answer appends
/// a few bytes at a time, hundreds of thousands of times.
///
/// Running out of room throws ``JSONTextUnsure`` with `outOfRoom`, so that the caller can start
/// again with more. The discarding form keeps nothing, for checking text without its output.
struct ByteOutput {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress
        capacity = buffer.count
    }

    private init() {
        base = nil
        capacity = 0
    }

    /// An output that keeps nothing (every range of it is empty).
    static var discarding: ByteOutput { ByteOutput() }

    var isDiscarding: Bool { base == nil }

    @inline(__always)
    mutating func append(_ byte: UInt8) throws(JSONTextUnsure) {
        guard let base else { return }
        guard count < capacity else { throw JSONTextUnsure(outOfRoom: true) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONTextUnsure) {
        guard let base, let source = bytes.baseAddress else { return }
        guard bytes.count <= capacity - count else { throw JSONTextUnsure(outOfRoom: true) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) throws(JSONTextUnsure) {
        try append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ bytes: [UInt8]) throws(JSONTextUnsure) {
        var failure: JSONTextUnsure?
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONTextUnsure) { try append(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// A line break and the indent of `level` (4 spaces a level), as ``JSONWriter`` writes them.
    @inline(__always)
    mutating func newline(_ level: Int) throws(JSONTextUnsure) {
        let line = JSONWriter.lineBreakAndSpaces
        var spaces = 4 * level
        let first = min(spaces, line.utf8CodeUnitCount - 1)
        try append(UnsafeBufferPointer(start: line.utf8Start, count: first + 1))
        spaces -= first
        while spaces > 0 {
            let n = min(spaces, line.utf8CodeUnitCount - 1)
            try append(UnsafeBufferPointer(start: line.utf8Start + 1, count: n))
            spaces -= n
        }
    }

    /// Forgets everything from `count` on.
    mutating func truncate(to count: Int) {
        precondition(count <= self.count)
        self.count = count
    }

    /// Written bytes, valid until they are written over.
    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
