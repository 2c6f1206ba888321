import OrderedCollections

/// Writes ``JSONValue``s as text the way Python's `json.dumps` does, since the output is read
/// by Ansible and compared with `ansible-inventory`'s.
public struct JSONWriter: Sendable {
    /// Spaces per level; `nil` writes everything on one line (`json.dumps` compact form).
    public var indent: Int?
    /// Sort object keys by code point, as `json.dumps(sort_keys=True)` does (ansible-inventory
    /// prints that way); `false` keeps the objects' own order.
    public var sortKeys: Bool

    /// A writer; the defaults are those of `ansible-inventory --list`.
    public init(indent: Int? = 4, sortKeys: Bool = true) {
        self.indent = indent
        self.sortKeys = sortKeys
    }

    /// The value as JSON text, with no trailing newline.
    public func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the value's JSON text to `out` as UTF-8.
    public func write(_ value: JSONValue, into out: inout [UInt8]) {
        write(value, level: 0, into: &out)
    }

    func write(_ value: JSONValue, level: Int, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): Self.writeInt(i, into: &out)
        case .double(let d): out.append(contentsOf: Self.pythonRepr(d).utf8)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            if a.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1, into: &out)
                write(element, level: level + 1, into: &out)
            }
            newline(level, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            if sortKeys && o.count > 16 {
                for (n, i) in o.keys.indices.sorted(by: { codePointLess(o.keys[$0], o.keys[$1]) }).enumerated() {
                    writeMember(o.keys[i], o.values[i], first: n == 0, level: level, into: &out)
                }
            } else if sortKeys {
                // Objects of a few keys are the norm (host vars): sort their positions by
                // insertion, on the stack, without hashing or copying keys.
                withUnsafeTemporaryAllocation(of: Int.self, capacity: o.count) { order in
                    for i in 0..<o.count {
                        var j = i
                        while j > 0 && codePointLess(o.keys[i], o.keys[order[j - 1]]) {
                            order[j] = order[j - 1]
                            j -= 1
                        }
                        order[j] = i
                    }
                    for n in 0..<o.count {
                        writeMember(o.keys[order[n]], o.values[order[n]], first: n == 0, level: level, into: &out)
                    }
                }
            } else {
                for i in o.keys.indices {
                    writeMember(o.keys[i], o.values[i], first: i == 0, level: level, into: &out)
                }
            }
            newline(level, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `"key": value` of an object at `level`, preceded by a comma unless it is the first.
    @inline(__always)
    func writeMember(_ key: String, _ value: JSONValue, first: Bool, level: Int, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        newline(level + 1, into: &out)
        Self.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: " "))
        write(value, level: level + 1, into: &out)
    }

    /// A line break and 64 spaces, for indents written in one piece.
    static let lineBreakAndSpaces: StaticString = "\n                                                                "

    func newline(_ level: Int, into out: inout [UInt8]) {
        guard let indent else {
            // json.dumps' compact form still puts a space after ','.
            if out.last == UInt8(ascii: ",") { out.append(UInt8(ascii: " ")) }
            return
        }
        // The line break and the first 64 spaces in one append: this runs once per member.
        let line = Self.lineBreakAndSpaces
        var spaces = indent * level
        let first = min(spaces, line.utf8CodeUnitCount - 1)
        out.append(contentsOf: UnsafeBufferPointer(start: line.utf8Start, count: first + 1))
        spaces -= first
        while spaces > 0 {
            let n = min(spaces, line.utf8CodeUnitCount - 1)
            out.append(contentsOf: UnsafeBufferPointer(start: line.utf8Start + 1, count: n))
            spaces -= n
        }
    }

    /// Decimal digits, as `String(i)` spells them, without making the string.
    static func writeInt(_ i: Int, into out: inout [UInt8]) {
        var magnitude = i.magnitude
        if i < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            repeat {
                n -= 1
                digits[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
        }
    }

    /// A double as Python's `repr` spells it: `1.0`, `1e+16`, `Infinity` for JSON.
    public static func pythonRepr(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var s = d.description
        // Swift switches to exponent form from 2^53 on; Python from 1e16 on.
        if s.utf8.contains(UInt8(ascii: "e")), let e = s.firstIndex(of: "e") {
            let exponent = Int(s[s.index(after: e)...]) ?? 0
            if exponent >= 0 && exponent < 16 {
                let mantissa = s[..<e]
                var digits = String(mantissa.filter { $0 != "." })
                let negative = digits.hasPrefix("-")
                if negative { digits.removeFirst() }
                let intDigits = exponent + 1
                if digits.count < intDigits {
                    digits += String(repeating: "0", count: intDigits - digits.count)
                }
                let whole = digits.prefix(intDigits)
                var fraction = digits.dropFirst(intDigits)
                if fraction.isEmpty { fraction = "0" }
                s = (negative ? "-" : "") + whole + "." + fraction
            }
        }
        return s
    }

    /// Appends `s` as a JSON string literal (quotes and escapes included), for callers that
    /// assemble JSON from pieces.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (host names, plain values) need no escaping: copy them whole.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied != true { writeEscaped(s, into: &out) }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
    }
}

/// Orders strings by Unicode code point, as Python compares `str`; Swift's `<` follows
/// canonical equivalence instead, which would sort some names differently from Ansible.
@inlinable
public func codePointLess(_ a: String, _ b: String) -> Bool {
    // UTF-8 byte order is code point order; compare the bytes in place where they are contiguous
    // (always, for native strings) instead of walking two UTF-8 views.
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            pa.lexicographicallyPrecedes(pb)
        }
    }
    if let fast = fast, let result = fast { return result }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}
