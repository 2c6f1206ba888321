/// String and number tokens of Python 3.11's lexical grammar, for ``PythonLiteral``.
extension PythonLiteralParser {
    /// One or more adjacent string literals, concatenated; `nil` if one is an f-string or if
    /// bytes and text are mixed (both are errors or non-literals in Python).
    mutating func parseStrings() -> PythonLiteralNode? {
        var text = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        var isBytes: Bool?
        while true {
            let start = p
            while let c = peek(), c.isASCII, PythonLiteral.isASCIILetter(UInt8(c.value)) { p += 1 }
            let prefix = String(String.UnicodeScalarView(s[start..<p])).lowercased()
            guard let q = peek(), q == "'" || q == "\"" else {
                // A name after a string: no literal, unless it was nothing.
                if p == start { break }
                return nil
            }
            guard prefix.isEmpty || Self.isStringPrefix(prefix), !prefix.contains("f") else { return nil }
            let bytesLiteral = prefix.contains("b")
            if let isBytes, isBytes != bytesLiteral { return nil }
            isBytes = bytesLiteral
            guard scanString(raw: prefix.contains("r"), bytes: bytesLiteral, text: &text, bytes: &bytes) else {
                return nil
            }
            skipSpace()
        }
        return isBytes == true ? .constant(.bytes(bytes)) : .constant(.string(String(text)))
    }

    /// Scans one quoted literal at `p` (the opening quote), appending its value.
    private mutating func scanString(
        raw: Bool, bytes isBytes: Bool, text: inout String.UnicodeScalarView, bytes: inout [UInt8]
    ) -> Bool {
        let q = s[p]
        let triple = peek(1) == q && peek(2) == q
        p += triple ? 3 : 1
        func append(_ c: Unicode.Scalar) -> Bool {
            if isBytes {
                guard c.isASCII else { return false }
                bytes.append(UInt8(c.value))
            } else {
                text.append(c)
            }
            return true
        }
        while true {
            guard let c = peek() else { return false }
            if c == q {
                if !triple {
                    p += 1
                    return true
                }
                if peek(1) == q && peek(2) == q {
                    p += 3
                    return true
                }
            }
            if !triple && (c == "\n" || c == "\r") { return false }
            guard c == "\\" else {
                guard append(c) else { return false }
                p += 1
                continue
            }
            guard let n = peek(1) else { return false }
            if raw {
                // A raw string keeps the backslash, but it still stops the next quote ending it.
                guard append(c), append(n) else { return false }
                p += 2
                continue
            }
            p += 2
            switch n {
            case "\n": continue
            case "\\", "'", "\"": guard append(n) else { return false }
            case "a": _ = append("\u{07}")
            case "b": _ = append("\u{08}")
            case "f": _ = append("\u{0C}")
            case "n": _ = append("\n")
            case "r": _ = append("\r")
            case "t": _ = append("\t")
            case "v": _ = append("\u{0B}")
            case "0"..."7":
                var value = n.value - 48
                var count = 1
                while count < 3, let d = peek(), ("0"..."7").contains(d) {
                    value = value * 8 + d.value - 48
                    p += 1
                    count += 1
                }
                if isBytes { bytes.append(UInt8(value & 0xFF)) } else { text.append(Unicode.Scalar(value)!) }
            case "x":
                guard let value = hexDigits(2) else { return false }
                if isBytes { bytes.append(UInt8(value)) } else { text.append(Unicode.Scalar(value)!) }
            case "u" where !isBytes, "U" where !isBytes:
                guard let value = hexDigits(n == "u" ? 4 : 8), value <= 0x10FFFF else { return false }
                // A lone surrogate has no Swift (or JSON) form: U+FFFD stands in, as Ansible prints "?".
                text.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            case "N" where !isBytes:
                guard peek() == "{", let close = s[p...].firstIndex(of: "}"), close > p + 1,
                    let scalar = Self.scalar(named: String(String.UnicodeScalarView(s[(p + 1)..<close])))
                else { return false }
                text.append(scalar)
                p = close + 1
            default:
                // Unknown escapes keep their backslash (Python only warns).
                guard append("\\"), append(n) else { return false }
            }
        }
    }

    /// Exactly `count` hex digits at `p`, else a syntax error (`truncated \xXX escape`).
    private mutating func hexDigits(_ count: Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek(), let d = Self.digitValue(c), d < 16 else { return nil }
            value = value &* 16 &+ d
            p += 1
        }
        return value
    }

    /// `\N{name}`: Unicode names and aliases, case-insensitively. A linear search, but such
    /// escapes are rare in inventories and the table would cost more than it saves.
    private static func scalar(named name: String) -> Unicode.Scalar? {
        let wanted = name.uppercased()
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.properties.name == wanted || scalar.properties.nameAlias == wanted { return scalar }
        }
        return nil
    }

    private static func digitValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."z": return c.value - 97 + 10
        case "A"..."Z": return c.value - 65 + 10
        default: return nil
        }
    }

    /// Skips digits of `radix` with single `_` between them (Python's `digitpart`);
    /// `leadingUnderscore` allows one before the first digit (`0x_ff`). Returns the digit count.
    private mutating func digitPart(radix: UInt32 = 10, leadingUnderscore: Bool = false) -> Int {
        var count = 0
        while let c = peek() {
            if let d = Self.digitValue(c), d < radix {
                count += 1
                p += 1
            } else if c == "_", count > 0 || leadingUnderscore, let n = peek(1), let d = Self.digitValue(n), d < radix {
                count += 1
                p += 2
            } else {
                break
            }
        }
        return count
    }

    /// An int, float or imaginary literal at `p`.
    mutating func parseNumber() -> PythonLiteralNode? {
        let start = p
        var radix: UInt32 = 10
        var isFloat = false
        var isImaginary = false
        if s[p] == "0", let r = peek(1), let base = Self.radix(r) {
            p += 2
            guard digitPart(radix: base, leadingUnderscore: true) > 0 else { return nil }
            radix = base
        } else {
            let whole = digitPart()
            if peek() == "." {
                p += 1
                let fraction = digitPart()
                guard whole > 0 || fraction > 0 else { return nil }
                isFloat = true
            }
            if let e = peek(), e == "e" || e == "E" {
                let mark = p
                p += 1
                if let sign = peek(), sign == "+" || sign == "-" { p += 1 }
                if digitPart() == 0 { p = mark } else { isFloat = true }
            }
            if let j = peek(), j == "j" || j == "J" {
                p += 1
                isImaginary = true
            }
        }
        // `1abc`, `0b102`, `1__0`: Python's tokenizer rejects a number running into a name.
        if let c = peek(), !c.isASCII || PythonLiteralParser.isNameChar(c) { return nil }
        let end = isImaginary ? p - 1 : p
        if isImaginary || isFloat {
            // Numbers are ASCII: copy the bytes without underscores and let the stdlib round.
            var literal: [UInt8] = []
            literal.reserveCapacity(end - start)
            for i in start..<end where s[i] != "_" { literal.append(UInt8(truncatingIfNeeded: s[i].value)) }
            guard let d = Double(String(decoding: literal, as: UTF8.self)) else { return nil }
            return .constant(isImaginary ? .complex(real: 0, imag: d) : .float(d))
        }
        return Self.integer(s, from: radix == 10 ? start : start + 2, to: end, radix: radix)
    }

    private static func radix(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "x", "X": return 16
        case "o", "O": return 8
        case "b", "B": return 2
        default: return nil
        }
    }

    /// The int spelled by the digits in `s[from..<to]` (underscores skipped); `nil` for a
    /// decimal with leading zeros (`017`), which Python refuses, except zero itself (`00`).
    private static func integer(_ s: [Unicode.Scalar], from: Int, to: Int, radix: UInt32) -> PythonLiteralNode? {
        var exact: UInt64 = 0
        var fits = true
        var approx: Double = 0
        var leadingZero = false
        var first = true
        for i in from..<to where s[i] != "_" {
            let d = digitValue(s[i])!
            if first {
                leadingZero = d == 0
                first = false
            } else if radix == 10 && leadingZero && d != 0 {
                return nil
            }
            approx = approx * Double(radix) + Double(d)
            if fits {
                let (m, o1) = exact.multipliedReportingOverflow(by: UInt64(radix))
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 { fits = false } else { exact = a }
            }
        }
        if fits {
            if exact <= UInt64(Int.max) { return .constant(.int(Int(exact))) }
            if exact == UInt64(Int.max) + 1 { return .twoToThe63 }
        }
        return .constant(.bigInt(approx))
    }
}
