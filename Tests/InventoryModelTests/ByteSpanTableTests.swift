import Testing
@testable import InventoryModel

@Suite("byte span table")
struct ByteSpanTableTests {
    @Test("numbers names of every length in first-seen order, finds repeats, misses absent names, grows past its capacity")
    func numbering() {
        // Names of 0 to 40 bytes sharing long prefixes, each twice, in one buffer.
        let names = (0..<3000).map { n in String(repeating: "h", count: n % 41) + (n % 41 == 0 ? "" : "\(n)") }
        var text = ""
        var ranges: [Range<Int>] = []
        for name in names + names {
            let start = text.utf8.count
            text += name
            ranges.append(start..<text.utf8.count)
        }
        let absent = "x-absent-name-of-some-length"
        let absentStart = text.utf8.count
        text += absent
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var table = ByteSpanTable(buffer, capacity: 16)
            var firstNumber: [String: Int] = [:]
            for (i, range) in ranges.enumerated() {
                let name = names[i % names.count]
                let (number, inserted) = table.insert(range)
                if let known = firstNumber[name] {
                    #expect(!inserted && number == known, "\(name)")
                } else {
                    #expect(inserted && number == firstNumber.count, "\(name)")
                    firstNumber[name] = number
                }
            }
            #expect(table.count == Set(names).count)
            for (i, range) in ranges.enumerated() { #expect(table.number(of: range) == firstNumber[names[i % names.count]]) }
            #expect(table.number(of: absentStart..<(absentStart + absent.utf8.count)) == nil)
        }
    }
}
