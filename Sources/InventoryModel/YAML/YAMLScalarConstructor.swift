/// Builds Python values from scalar text the way PyYAML's `SafeConstructor` does
/// (`construct_yaml_int`, `construct_yaml_float`, `construct_yaml_bool`), including for text
/// that only an explicit tag (`!!int "12"`) makes numeric. Errors carry Python's message.
enum YAMLScalarConstructor {
    struct Failure: Error { var message: String }

    static func bool(_ text: String) throws(Failure) -> Bool {
        switch text.lowercased() {
        case "yes", "true", "on": return true
        case "no", "false", "off": return false
        default: throw Failure(message: "'\(text)' is not a YAML boolean (yes/no, true/false, on/off)")
        }
    }

    static func int(_ text: String) throws(Failure) -> Int {
        // Fast path for the common plain decimal (no `_`, no leading 0, no `:`).
        if let first = text.utf8.first, first != UInt8(ascii: "0"), text.utf8.count < 19,
            text.utf8.allSatisfy({ $0.isYAMLDigit }), let v = Int(text)
        {
            return v
        }
        var value = Substring(text.filter { $0 != "_" })
        var negative = false
        if value.first == "-" { negative = true }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        let magnitude: Int
        if value == "0" {
            return 0
        } else if value.hasPrefix("0b") {
            magnitude = try pythonInt(value.dropFirst(2), radix: 2)
        } else if value.hasPrefix("0x") {
            magnitude = try pythonInt(value.dropFirst(2), radix: 16)
        } else if value.first == "0" {
            magnitude = try pythonInt(value, radix: 8)
        } else if value.contains(":") {
            // Sexagesimal, `1:30` = 90: the last part counts ones, the one before sixties, ...
            var total = 0
            var base = 1
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                let (product, o1) = try pythonInt(part, radix: 10).multipliedReportingOverflow(by: base)
                let (sum, o2) = total.addingReportingOverflow(product)
                guard !o1, !o2 else { throw tooLarge(text) }
                total = sum
                base = base.multipliedReportingOverflow(by: 60).partialValue
            }
            magnitude = total
        } else {
            magnitude = try pythonInt(value, radix: 10)
        }
        return negative ? -magnitude : magnitude
    }

    private static func tooLarge(_ text: String) -> Failure {
        // Python ints are unbounded; JSONValue holds 64 bits, so say so rather than round.
        Failure(message: "integer \(text) does not fit in 64 bits")
    }

    /// Python's `int(s, radix)` for the texts PyYAML hands it (sign and spaces allowed).
    private static func pythonInt(_ s: Substring, radix: Int) throws(Failure) -> Int {
        var t = strip(s)
        var negative = false
        if t.first == "-" || t.first == "+" {
            negative = t.first == "-"
            t = t.dropFirst()
        }
        if radix == 8, t.count > 2, t.hasPrefix("0o") || t.hasPrefix("0O") { t = t.dropFirst(2) }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.hexDigitValue.map { $0 < radix } == true }) else {
            throw Failure(message: "invalid literal for int() with base \(radix): '\(s)'")
        }
        guard let v = Int(t, radix: radix) else { throw tooLarge(String(s)) }
        return negative ? -v : v
    }

    /// Python's `str.strip()`: int() and float() ignore surrounding white space.
    private static func strip(_ s: Substring) -> Substring {
        let space: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        var t = s
        while let f = t.first, space.contains(f) { t = t.dropFirst() }
        while let l = t.last, space.contains(l) { t = t.dropLast() }
        return t
    }

    static func float(_ text: String) throws(Failure) -> Double {
        // Fast path: digits and one dot only, which Swift and Python read alike.
        if text.utf8.allSatisfy({ $0.isYAMLDigit || $0 == UInt8(ascii: ".") }),
            text.utf8.contains(where: \.isYAMLDigit),
            let v = Double(text)
        {
            return v
        }
        var value = Substring(text.filter { $0 != "_" }.lowercased())
        var sign = 1.0
        if value.first == "-" { sign = -1 }
        if value.first == "-" || value.first == "+" { value = value.dropFirst() }
        if value == ".inf" { return sign * .infinity }
        if value == ".nan" { return .nan }
        if value.contains(":") {
            var total = 0.0
            var base = 1.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                total += try pythonFloat(part) * base
                base *= 60
            }
            return sign * total
        }
        return sign * (try pythonFloat(value))
    }

    /// Python's `float(s)`: decimal notation, `inf`, `infinity`, `nan`; no hex floats.
    private static func pythonFloat(_ s: Substring) throws(Failure) -> Double {
        let t = String(strip(s))
        var body = Substring(t.lowercased())
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        var valid = ["inf", "infinity", "nan"].contains(String(body))
        if !valid {
            var digits = 0
            var i = body.startIndex
            while i < body.endIndex, body[i].isASCII, body[i].isNumber { digits += 1; i = body.index(after: i) }
            if i < body.endIndex, body[i] == "." {
                i = body.index(after: i)
                while i < body.endIndex, body[i].isASCII, body[i].isNumber { digits += 1; i = body.index(after: i) }
            }
            valid = digits > 0
            if valid, i < body.endIndex, body[i] == "e" {
                i = body.index(after: i)
                if i < body.endIndex, body[i] == "-" || body[i] == "+" { i = body.index(after: i) }
                var expDigits = 0
                while i < body.endIndex, body[i].isASCII, body[i].isNumber { expDigits += 1; i = body.index(after: i) }
                valid = expDigits > 0
            }
            valid = valid && i == body.endIndex
        }
        guard valid, let d = Double(t) else {
            throw Failure(message: "could not convert string to float: '\(s)'")
        }
        return d
    }

    /// A timestamp as Ansible prints it: Python's `date.isoformat()` or `datetime.isoformat()`.
    static func timestamp(_ text: String) throws(Failure) -> (iso: String, isDate: Bool) {
        var copy = text
        let parsed = copy.withUTF8 { YAMLTimestamp.parse(YAMLBytes($0), requireTime: false) }
        guard let ts = parsed else { throw Failure(message: "'\(text)' is not a YAML timestamp") }
        if let problem = ts.problem { throw Failure(message: problem) }
        return (ts.isoformat, ts.hour == nil)
    }
}
