#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// The rewriter met text it cannot vouch for: parse it with ``JSONParser`` instead, which
/// either reads it or says exactly what is wrong. Or it ran out of room in its output
/// (`outOfRoom`): start again with more.
struct JSONTextUnsure: Error {
    var outOfRoom = false
}

/// Rewrites JSON text the way ``JSONWriter`` (4-space indent, keys sorted) prints the value that
/// ``JSONParser`` reads from it, byte for byte, without building the value.
///
/// Why: `inventory-script --list` turns the claim answer (compact JSON, a few MB at 10k hosts)
/// into `ansible-inventory` text; going through value trees cost most of its time. Text the
/// service writes is already in the writer's spelling (its numbers are `repr`s, its keys
/// sorted), so most of it is copied as it is and only the layout changes.
///
/// It never guesses: whatever it is not sure the parser and writer would spell the same way (a
/// number in another form, a string with escapes) goes through them, and whatever the parser
/// might reject or read differently (a repeated key, invalid UTF-8, deep nesting) stops it with
/// ``JSONTextUnsure``, so that the caller falls back to the parser.
struct JSONTextRewriter {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Nesting the rewriter follows; deeper text is left to the parser (which allows 512).
    static let maximumDepth = 100
    private static let writer = JSONWriter()

    /// A member of an object being rewritten: its key in the text, its written text in `out`.
    private struct Segment {
        var key: Range<Int>
        var text: Range<Int>
    }
    /// The members of the objects being rewritten, innermost last.
    private var segments: [Segment] = []
    /// Where an object's members wait while they are put in order.
    private var spare: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inline(__always)
    func skipWhitespace(_ i: inout Int) {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// Steps over `byte` (after white space) or stops.
    @inline(__always)
    func expect(_ byte: UInt8, _ i: inout Int) throws(JSONTextUnsure) {
        skipWhitespace(&i)
        guard i < bytes.count, bytes[i] == byte else { throw JSONTextUnsure() }
        i += 1
    }

    /// After a member or element: true at `,` (another follows), false at `close`.
    @inline(__always)
    func next(closing close: UInt8, _ i: inout Int) throws(JSONTextUnsure) -> Bool {
        skipWhitespace(&i)
        guard i < bytes.count else { throw JSONTextUnsure() }
        if bytes[i] == UInt8(ascii: ",") {
            i += 1
            return true
        }
        guard bytes[i] == close else { throw JSONTextUnsure() }
        i += 1
        return false
    }

    /// Whether the container opening at `i` (white space skipped, `i` on the bracket) is empty;
    /// if so, steps past it.
    @inline(__always)
    func isEmpty(closing close: UInt8, _ i: inout Int) -> Bool {
        var j = i + 1
        skipWhitespace(&j)
        guard j < bytes.count, bytes[j] == close else { return false }
        i = j + 1
        return true
    }

    // MARK: Strings

    /// A key or a name (of a host, a group): a string without escapes, of ASCII only.
    ///
    /// Swift's `String` (and so the model) takes canonically equivalent spellings, such as `é`
    /// precomposed and decomposed, for one key; bytes (and Python) take them for two. Only
    /// outside ASCII can that differ, so there the parser decides.
    @inline(__always)
    func plainName(_ i: inout Int) throws(JSONTextUnsure) -> Range<Int> {
        guard let name = try plainString(&i, asciiOnly: true) else { throw JSONTextUnsure() }
        return name
    }

    /// A string without escapes: the range of its content (quotes excluded), `i` past it. A
    /// string with escapes gives `nil` and `i` is left on its opening quote.
    @inline(__always)
    func plainString(_ i: inout Int, asciiOnly: Bool = false) throws(JSONTextUnsure) -> Range<Int>? {
        skipWhitespace(&i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONTextUnsure() }
        let start = i + 1
        var j = start
        var high: UInt8 = 0
        // Eight bytes a step while none is a quote, a backslash, a control character or outside
        // ASCII (the bit tricks may also stop early, never late); the rest byte by byte.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while j + 8 <= bytes.count {
            let w = base.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            let stop = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w) | w
            if stop & highs != 0 { break }
            j += 8
        }
        while j < bytes.count {
            let b = bytes[j]
            if b == UInt8(ascii: "\"") {
                if asciiOnly && high & 0x80 != 0 { throw JSONTextUnsure() }
                if high & 0x80 != 0, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<j]), as: UTF8.self) == nil {
                    throw JSONTextUnsure()
                }
                i = j + 1
                return start..<j
            }
            if b == UInt8(ascii: "\\") { return nil }
            if b < 0x20 { throw JSONTextUnsure() }
            high |= b
            j += 1
        }
        throw JSONTextUnsure()
    }

    /// The string at `i` as the parser reads it; `i` past it.
    func string(_ i: inout Int) throws(JSONTextUnsure) -> String {
        if let plain = try plainString(&i) {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[plain]), as: UTF8.self)
        }
        guard case .string(let s) = try parsed(from: i, to: try escapedStringEnd(i)) else { throw JSONTextUnsure() }
        i = try escapedStringEnd(i)
        return s
    }

    /// Where the string opening at `i` ends (past its closing quote), escapes stepped over.
    private func escapedStringEnd(_ start: Int) throws(JSONTextUnsure) -> Int {
        var j = start + 1
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\""): return j + 1
            case UInt8(ascii: "\\"): j += 2
            default: j += 1
            }
        }
        throw JSONTextUnsure()
    }

    /// The value of `bytes[start..<end]` as parser and writer give it.
    private func writeParsed(from start: Int, to end: Int, level: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        var text: [UInt8] = []
        Self.writer.write(try parsed(from: start, to: end), level: level, into: &text)
        try out.append(text)
    }

    /// The value of `bytes[start..<end]` as the parser reads it.
    private func parsed(from start: Int, to end: Int) throws(JSONTextUnsure) -> JSONValue {
        do {
            return try JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        } catch {
            throw JSONTextUnsure()
        }
    }

    // MARK: Values

    /// Appends the value at `i` as the writer prints it at `level`; `i` moves past it.
    mutating func rewriteValue(_ i: inout Int, level: Int, depth: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        skipWhitespace(&i)
        guard i < bytes.count else { throw JSONTextUnsure() }
        switch bytes[i] {
        case UInt8(ascii: "{"): try rewriteObject(&i, level: level, depth: depth + 1, into: &out)
        case UInt8(ascii: "["): try rewriteArray(&i, level: level, depth: depth + 1, into: &out)
        case UInt8(ascii: "\""):
            let start = i
            if try plainString(&i) != nil {
                try out.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            } else {
                let end = try escapedStringEnd(start)
                try writeParsed(from: start, to: end, level: level, into: &out)
                i = end
            }
        case UInt8(ascii: "t"): try word("true", &i, into: &out)
        case UInt8(ascii: "f"): try word("false", &i, into: &out)
        case UInt8(ascii: "n"): try word("null", &i, into: &out)
        // The writer spells non-finite floats as the parser reads them.
        case UInt8(ascii: "N"): try word("NaN", &i, into: &out)
        case UInt8(ascii: "I"): try word("Infinity", &i, into: &out)
        case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "I"): try word("-Infinity", &i, into: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try rewriteNumber(&i, level: level, into: &out)
        default: throw JSONTextUnsure()
        }
    }

    private func word(_ w: StaticString, _ i: inout Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        let n = w.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(bytes.baseAddress! + i, w.utf8Start, n) == 0 else { throw JSONTextUnsure() }
        try out.append(UnsafeBufferPointer(start: w.utf8Start, count: n))
        i += n
    }

    /// Copies a number the writer would spell as it stands; any other goes through parser and writer.
    private mutating func rewriteNumber(_ i: inout Int, level: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        let start = i
        guard let shape = NumberShape.scan(bytes, &i) else { throw JSONTextUnsure() }
        if shape.isCanonical(bytes, from: start) {
            try out.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        } else {
            try writeParsed(from: start, to: i, level: level, into: &out)
        }
    }

    private mutating func rewriteArray(_ i: inout Int, level: Int, depth: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        guard depth <= Self.maximumDepth else { throw JSONTextUnsure() }
        if isEmpty(closing: UInt8(ascii: "]"), &i) {
            try out.append("[]" as StaticString)
            return
        }
        i += 1
        try out.append(UInt8(ascii: "["))
        var first = true
        repeat {
            if !first { try out.append(UInt8(ascii: ",")) }
            first = false
            try out.newline(level + 1)
            try rewriteValue(&i, level: level + 1, depth: depth, into: &out)
        } while try next(closing: UInt8(ascii: "]"), &i)
        try out.newline(level)
        try out.append(UInt8(ascii: "]"))
    }

    /// Members are written in the text's order, each noted in `segments`; if their keys did not
    /// come sorted (the service keeps vars in their authors' order), the written members are
    /// then put in order: one pass over the text either way.
    private mutating func rewriteObject(_ i: inout Int, level: Int, depth: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        guard depth <= Self.maximumDepth else { throw JSONTextUnsure() }
        if isEmpty(closing: UInt8(ascii: "}"), &i) {
            try out.append("{}" as StaticString)
            return
        }
        i += 1
        try out.append(UInt8(ascii: "{"))
        let base = segments.count
        var sorted = true
        var previous: Range<Int>?
        repeat {
            // A key with escapes could sort or repeat unseen: the parser decides.
            let key = try plainName(&i)
            if let previous {
                if !bytesPrecede(previous, key) { sorted = false }
                try out.append(UInt8(ascii: ","))
            }
            previous = key
            try expect(UInt8(ascii: ":"), &i)
            let start = out.count
            try writeKey(key, level: level + 1, into: &out)
            try rewriteValue(&i, level: level + 1, depth: depth, into: &out)
            segments.append(Segment(key: key, text: start..<out.count))
        } while try next(closing: UInt8(ascii: "}"), &i)
        if !sorted { try sortMembers(from: base, into: &out) }
        segments.removeSubrange(base...)
        try out.newline(level)
        try out.append(UInt8(ascii: "}"))
    }

    /// Rewrites the members `segments[base...]` (the end of `out`) in key order.
    private mutating func sortMembers(from base: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        let first = segments[base].text.lowerBound
        spare.removeAll(keepingCapacity: true)
        spare.append(contentsOf: out.bytes(first..<out.count))
        out.truncate(to: first)
        let bytes = self.bytes
        segments[base...].sort { Self.bytesPrecede($0.key, $1.key, in: bytes) }
        for n in base..<segments.count {
            if n > base {
                // A repeated key: the parser keeps the last value at the first place.
                if !bytesPrecede(segments[n - 1].key, segments[n].key) { throw JSONTextUnsure() }
                try out.append(UInt8(ascii: ","))
            }
            let text = segments[n].text
            var failure: JSONTextUnsure?
            spare.withUnsafeBufferPointer { spare in
                do throws(JSONTextUnsure) {
                    try out.append(UnsafeBufferPointer(rebasing: spare[(text.lowerBound - first)..<(text.upperBound - first)]))
                } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// `\n    "key": ` at `level`, for a key without escapes.
    @inline(__always)
    func writeKey(_ key: Range<Int>, level: Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        try out.newline(level)
        let end = key.upperBound + 1
        // Compact text as the service writes it already has the `": ` that follows: one copy.
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: ":"), bytes[end + 1] == UInt8(ascii: " ") {
            try out.append(UnsafeBufferPointer(rebasing: bytes[(key.lowerBound - 1)..<(end + 2)]))
            return
        }
        try out.append(UnsafeBufferPointer(rebasing: bytes[(key.lowerBound - 1)..<end]))
        try out.append(UInt8(ascii: ":"))
        try out.append(UInt8(ascii: " "))
    }

    /// Steps over a value, checking it as ``rewriteValue(_:level:depth:into:)`` would.
    mutating func skipValue(_ i: inout Int, depth: Int) throws(JSONTextUnsure) {
        var sink = ByteOutput.discarding
        let start = i
        skipWhitespace(&i)
        guard i < bytes.count else { throw JSONTextUnsure() }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            i = start
            try rewriteValue(&i, level: 0, depth: depth, into: &sink)
        case UInt8(ascii: "\""):
            if try plainString(&i) == nil { _ = try string(&i) }
        default:
            try rewriteValue(&i, level: 0, depth: depth, into: &sink)
        }
    }

    /// Code point order of two strings' UTF-8 bytes.
    @inline(__always)
    func bytesPrecede(_ a: Range<Int>, _ b: Range<Int>) -> Bool { Self.bytesPrecede(a, b, in: bytes) }

    /// Eight bytes a step, read big-endian so that integer order is byte order: keys and host
    /// names are short, and a call to memcmp cost more than the comparison.
    @inline(__always)
    static func bytesPrecede(_ a: Range<Int>, _ b: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        let pa = UnsafeRawPointer(bytes.baseAddress! + a.lowerBound), pb = UnsafeRawPointer(bytes.baseAddress! + b.lowerBound)
        var k = 0
        while k + 8 <= common {
            let x = pa.loadUnaligned(fromByteOffset: k, as: UInt64.self).bigEndian
            let y = pb.loadUnaligned(fromByteOffset: k, as: UInt64.self).bigEndian
            if x != y { return x < y }
            k += 8
        }
        while k < common {
            let x = pa.load(fromByteOffset: k, as: UInt8.self), y = pb.load(fromByteOffset: k, as: UInt8.self)
            if x != y { return x < y }
            k += 1
        }
        return a.count < b.count
    }

    /// Whether two ranges hold the same bytes.
    @inline(__always)
    func bytesEqual(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, a.count) == 0
    }
}
