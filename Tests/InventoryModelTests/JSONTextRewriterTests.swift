import Testing
@testable import InventoryModel

// The rewriter must print exactly what parsing the text and writing the value prints, or
// refuse (JSONTextUnsure) so that its caller parses; these tests hold it to the first for every
// text a service or a person would write, and to the second where it has to be.

/// A seeded source of randomness, so that a failure can be run again.
struct SeededRandom: RandomNumberGenerator {
    var state: SeededShuffle
    init(_ seed: UInt64) { state = SeededShuffle(state: seed) }
    mutating func next() -> UInt64 { state.next() }
}

/// What the writer prints for the parsed text (nil: the parser rejects it).
private func viaParser(_ text: String) -> String? {
    guard let value = try? JSONParser.parse(text) else { return nil }
    return JSONWriter().string(value)
}

/// What the rewriter prints at level 0 (nil: unsure), starting with very little room so that
/// running out of it (and starting again with more) is exercised too.
private func viaRewriter(_ text: String) -> String? {
    var copy = text
    return copy.withUTF8 { bytes -> String? in
        var room = 8
        while true {
            var rewriter = JSONTextRewriter(bytes)
            var i = 0
            var failure: JSONTextUnsure?
            let out = [UInt8](unsafeUninitializedCapacity: room) { buffer, count in
                var output = ByteOutput(buffer)
                do throws(JSONTextUnsure) {
                    try rewriter.rewriteValue(&i, level: 0, depth: 0, into: &output)
                } catch {
                    failure = error
                }
                count = output.count
            }
            if let failure {
                guard failure.outOfRoom else { return nil }
                room *= 2
                continue
            }
            rewriter.skipWhitespace(&i)
            guard i == bytes.count else { return nil }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// Random values of the kinds inventories hold, keys in random order.
private func randomValue(_ g: inout SeededRandom, depth: Int = 0) -> JSONValue {
    let pick = Int.random(in: 0..<(depth > 3 ? 6 : 9), using: &g)
    switch pick {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &g))
    case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &g) * (Bool.random(using: &g) ? 1 : 1_000_000_000))
    case 3:
        let scale = [1e-7, 1e-4, 0.01, 1, 1000, 1e9, 1e15, 1e17, 1e300][Int.random(in: 0..<9, using: &g)]
        return .double(Double.random(in: -1...1, using: &g) * scale)
    case 4: return .double(Double(Int.random(in: -99...99, using: &g)) / [1, 4, 10, 100][Int.random(in: 0..<4, using: &g)])
    case 5: return .string(randomText(&g))
    case 6, 7:
        var object = JSONObject()
        for _ in 0..<Int.random(in: 0...5, using: &g) { object[randomText(&g, plain: true)] = randomValue(&g, depth: depth + 1) }
        return .object(object)
    default:
        return .array((0..<Int.random(in: 0...4, using: &g)).map { _ in randomValue(&g, depth: depth + 1) })
    }
}

private func randomText(_ g: inout SeededRandom, plain: Bool = false) -> String {
    let pieces = plain ? ["a", "b", "Z", "_", "1", "-", " ", "host-01", "ansible_host"]
        : ["a", "b", "Z", " ", "1", "é", "漢", "😀", "\"", "\\", "\n", "\t", "\u{1}", "/", "\u{7f}", "\u{2028}"]
    return (0..<Int.random(in: 0...6, using: &g)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &g)] }.joined()
}

@Suite("JSON text rewriter")
struct JSONTextRewriterTests {
    @Test("random values in compact and in indented text: the rewriter prints what parser and writer print")
    func randomValues() {
        var g = SeededRandom(20261201)
        for _ in 0..<3000 {
            let value = randomValue(&g)
            for writer in [JSONWriter(indent: nil, sortKeys: false), JSONWriter(indent: 2, sortKeys: false), JSONWriter()] {
                let text = writer.string(value)
                let expected = viaParser(text)
                #expect(expected != nil)
                #expect(viaRewriter(text) == expected, "\(text)")
            }
        }
    }

    @Test("numbers in every spelling: copied when the writer would spell them so, else parsed and written")
    func numbers() {
        let texts = ["0", "-0", "7", "-12", "123456789012345678", "1234567890123456789", "99999999999999999999",
                     "0.0", "-0.0", "1.0", "1.5", "1.50", "2.25", "0.1", "0.0001", "0.00001", "0.000123", "100.0",
                     "1e5", "1E5", "1e-7", "2.5e+3", "123456789012345.0", "1234567890123456.0", "12345678901234567.0",
                     "0.30000000000000004", "3.141592653589793", "3.14159265358979", "9007199254740993.0",
                     "1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1.7976931348623157e308", "5e-324"]
        for text in texts {
            #expect(viaRewriter(text) == viaParser(text), "\(text)")
            #expect(viaRewriter("[\(text)]") == viaParser("[\(text)]"), "\(text)")
        }
    }

    @Test("every float as the service writes it (Python's repr) is copied as it stands when the rule allows")
    func canonicalFloats() {
        var g = SeededRandom(7)
        var copied = 0
        for _ in 0..<50000 {
            let magnitude = [1e-5, 1e-3, 1, 1e3, 1e8, 1e14, 1e16][Int.random(in: 0..<7, using: &g)]
            var d = Double.random(in: 0..<10, using: &g) * magnitude
            // Short decimals as people type them, and full-precision ones.
            if Bool.random(using: &g) { d = (d * 1000).rounded() / 1000 }
            let text = JSONWriter.pythonRepr(Bool.random(using: &g) ? d : -d)
            var copy = text
            let canonical = copy.withUTF8 { bytes -> Bool in
                var i = 0
                return NumberShape.scan(bytes, &i)?.isCanonical(bytes, from: 0) ?? false
            }
            if canonical {
                copied += 1
                // The copy is only right if parsing and writing gives the text back.
                #expect(JSONWriter.pythonRepr(Double(text)!) == text, "\(text)")
            }
            #expect(viaRewriter(text) == viaParser(text), "\(text)")
        }
        // Full-precision doubles (17 digits) go through the writer; short decimals are copied.
        #expect(copied > 15000, "the rule should copy the short floats, copied \(copied)")
        for text in ["1.201", "0.775", "10.5", "-3.25", "1000000.125", "0.0001", "0.0", "42.0", "123456789012345.0"] {
            var copy = text
            #expect(copy.withUTF8 { bytes in
                var i = 0
                return NumberShape.scan(bytes, &i)?.isCanonical(bytes, from: 0) ?? false
            }, "\(text)")
        }
    }

    @Test("unsorted keys are put in order; repeated or escaped keys are left to the parser")
    func keys() {
        #expect(viaRewriter(#"{"b": 1, "a": {"d": [], "c": {}}, "_": 2, "Z": 3}"#) == viaParser(#"{"b": 1, "a": {"d": [], "c": {}}, "_": 2, "Z": 3}"#))
        #expect(viaRewriter(#"{"a": 1, "b": 2, "a": 3}"#) == nil)
        #expect(viaRewriter(#"{"a": 1, "a": 1}"#) == nil)
        #expect(viaRewriter(#"{"\u0061": 1}"#) == nil)
        // Keys outside ASCII: Swift's String takes "é" and "e\u{301}" for one key, bytes for two.
        #expect(viaRewriter("{\"\u{E9}\": 1, \"e\u{301}\": 2}") == nil)
        #expect(viaParser("{\"\u{E9}\": 1, \"e\u{301}\": 2}") == "{\n    \"\u{E9}\": 2\n}")
        #expect(viaRewriter("{\"k\": \"\u{E9}e\u{301}\"}") == viaParser("{\"k\": \"\u{E9}e\u{301}\"}"))
        #expect(viaRewriter(#"{"x": "\u0061\n\"\\\/"}"#) == viaParser(#"{"x": "\u0061\n\"\\\/"}"#))
    }

    @Test("strings with an escape, a non-ASCII character or a control character at every place of the first words")
    func stopsAtEveryPlace() {
        for place in 0..<26 {
            for special in [#"\""#, #"\\"#, #"\n"#, "é", "漢", "😀", "\u{1}", "\u{7f}", " ", "~"] {
                let text = "\"" + String(repeating: "a", count: place) + special + String(repeating: "b", count: 26 - place) + "\""
                #expect(viaRewriter(text) == viaParser(text), "\(text)")
                #expect(viaRewriter("{\"k\": \(text)}") == viaParser("{\"k\": \(text)}"), "\(text)")
            }
            // Unterminated after a run of plain bytes.
            #expect(viaRewriter("\"" + String(repeating: "a", count: place)) == nil)
        }
    }

    @Test("what the parser rejects, the rewriter does not print")
    func rejected() {
        let texts = ["{", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": }", "01", "1.", "-", "tru", "\"a\u{1}\"", "\"\\x\"",
                     "\"abc", "{\"a\": 1,}", "[\"\\ud800\"", "nul", "Nan", "+1", ".5", "1e", "[1]]"]
        for text in texts {
            #expect(viaRewriter(text) == nil || viaParser(text) != nil, "\(text)")
            #expect(viaRewriter(text) == viaParser(text) || viaRewriter(text) == nil, "\(text)")
        }
        // Invalid UTF-8 in a string.
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        let unsure = bytes.withUnsafeBufferPointer { buffer -> Bool in
            let rewriter = JSONTextRewriter(buffer)
            var i = 0
            return (try? rewriter.plainString(&i)) == nil
        }
        #expect(unsure)
        // Deeper than the rewriter follows: left to the parser.
        let deep = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(viaRewriter(deep) == nil)
        #expect(viaParser(deep) != nil)
    }
}
