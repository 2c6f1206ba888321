/// The parts of a JSON number's text, and whether ``JSONWriter`` would print the parsed number
/// with exactly that text (so that it can be copied instead of parsed and printed again).
struct NumberShape {
    /// Digits before the point (no sign).
    var integerDigits: Range<Int>
    /// Digits after the point; empty without one.
    var fractionDigits: Range<Int>
    var hasPoint: Bool
    var hasExponent: Bool
    var isNegative: Bool

    /// Steps over a number with the grammar ``JSONParser`` accepts; nil where it would not.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> NumberShape? {
        @inline(__always) func isDigit(_ j: Int) -> Bool { j < bytes.count && bytes[j] &- UInt8(ascii: "0") < 10 }
        var shape = NumberShape(integerDigits: 0..<0, fractionDigits: 0..<0, hasPoint: false, hasExponent: false, isNegative: false)
        if bytes[i] == UInt8(ascii: "-") {
            shape.isNegative = true
            i += 1
        }
        let integerStart = i
        while isDigit(i) { i += 1 }
        if i == integerStart { return nil }
        if bytes[integerStart] == UInt8(ascii: "0"), i - integerStart > 1 { return nil }
        shape.integerDigits = integerStart..<i
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            shape.hasPoint = true
            i += 1
            let fractionStart = i
            while isDigit(i) { i += 1 }
            if i == fractionStart { return nil }
            shape.fractionDigits = fractionStart..<i
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            shape.hasExponent = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            let exponentStart = i
            while isDigit(i) { i += 1 }
            if i == exponentStart { return nil }
        }
        return shape
    }

    /// Whether the writer prints the parsed number as this very text.
    ///
    /// - Integers: up to 18 digits (well inside `Int`), not `-0` (which reads as `0`).
    /// - Floats: `repr` form without exponent (Python and ``JSONWriter/pythonRepr(_:)`` use one
    ///   below 1e-4 and from 1e16 on), no trailing zero in the fraction but in `.0`, and at most
    ///   15 significant digits: any decimal of 15 digits reads back as itself, and no shorter
    ///   decimal reads as the same double, so it is the shortest spelling `repr` gives.
    func isCanonical(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        if hasExponent { return false }
        let zeroInteger = bytes[integerDigits.lowerBound] == UInt8(ascii: "0")
        if !hasPoint {
            return integerDigits.count <= 18 && !(isNegative && zeroInteger)
        }
        let lastFraction = bytes[fractionDigits.upperBound - 1]
        let fractionIsZero = fractionDigits.count == 1 && lastFraction == UInt8(ascii: "0")
        if lastFraction == UInt8(ascii: "0") && !fractionIsZero { return false }
        if fractionIsZero { return integerDigits.count <= 15 }
        if !zeroInteger { return integerDigits.count + fractionDigits.count <= 15 }
        var leadingZeros = 0
        while bytes[fractionDigits.lowerBound + leadingZeros] == UInt8(ascii: "0") { leadingZeros += 1 }
        return leadingZeros <= 3 && fractionDigits.count - leadingZeros <= 15
    }
}
