/// Python's text forms of values, for JSON keys and messages that must match Ansible's.
enum YAMLPythonFormat {
    /// Python's `repr(float)`: the shortest round-tripping digits, positional when the
    /// decimal exponent is in -4..<16, else scientific with a two-digit exponent (`1e+16`).
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description also gives the shortest round-tripping digits; only the layout differs.
        var text = Substring(d.description)
        var sign = ""
        if text.first == "-" {
            sign = "-"
            text = text.dropFirst()
        }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let dot = text.firstIndex(of: ".")
        let intPart = dot.map { text[..<$0] } ?? text
        let fracPart = dot.map { text[text.index(after: $0)...] } ?? ""
        var digits = Array(intPart + fracPart)
        // Position of the decimal point within `digits`.
        var point = intPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        if digits.isEmpty { return sign + "0.0" }
        let sciExponent = point - 1
        if sciExponent < -4 || sciExponent >= 16 {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            let expDigits = String(abs(sciExponent))
            return sign + mantissa + "e" + (sciExponent < 0 ? "-" : "+") + (expDigits.count < 2 ? "0" : "") + expDigits
        }
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + String(digits)
        }
        if point >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0"
        }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }

    /// Python's `repr(str)` for the common cases: single quotes unless the text holds one and
    /// no double quote; backslash escapes for quotes, backslashes and control characters.
    static func stringRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }
}
