import FoundationEssentials
import InventoryModel
import Testing

@Suite("batch_size, as Ansible's serial")
struct BatchSizeTests {
    @Test func percentagesTruncateLikePctToInt() {
        // ansible.utils.helpers.pct_to_int: int((pct / 100.0) * n) or 1, in floating point.
        #expect(BatchSize.Item.percent(29).size(hostCount: 100) == 28)
        #expect(BatchSize.Item.percent(57).size(hostCount: 100) == 56)
        #expect(BatchSize.Item.percent(150).size(hostCount: 10) == 15)
        #expect(BatchSize.Item.percent(1).size(hostCount: 5) == 1)
        #expect(BatchSize.Item.percent(10).size(hostCount: 0) == 1)
        #expect(BatchSize.Item.percent(33).size(hostCount: 1_000_000) == 330_000)
        #expect(BatchSize.Item.count(25).size(hostCount: 3) == 25)
    }

    @Test func parsesCommandLineText() throws {
        #expect(try BatchSize(parsing: "25").items == [.count(25)])
        #expect(try BatchSize(parsing: "10%").items == [.percent(10)])
        #expect(try BatchSize(parsing: "1,5,20%").items == [.count(1), .count(5), .percent(20)])
        #expect(try BatchSize(parsing: " 1, 5 ,20 % ").description == "1,5,20%")
        #expect(try BatchSize(parsing: "1,5,20%").isList)
        #expect(try !BatchSize(parsing: "25").isList)
    }

    @Test(arguments: ["0", "-1", "0%", "-5%", "", "abc", "10.5%", "1,,2", "1,", "%", "2.5", "+3", "１"])
    func rejectsBadSizes(text: String) {
        #expect(throws: InventoryError.self) { try BatchSize(parsing: text) }
    }

    @Test func rejectionMessagesSayWhatIsExpected() {
        #expect(throws: InventoryError("batch_size items must be at least 1 host, got 0")) { try BatchSize.count(0) }
        #expect(throws: InventoryError("batch_size must not be an empty list")) { try BatchSize([]) }
        #expect(
            throws: InventoryError(
                "Invalid batch_size item 'x': expected a number of hosts such as 25 or a percentage such as 10%")
        ) {
            try BatchSize(parsing: "x")
        }
    }

    func decode(_ json: String) throws -> BatchSize {
        try JSONDecoder().decode(BatchSize.self, from: Data(json.utf8))
    }

    func encode(_ size: BatchSize) throws -> String {
        String(decoding: try JSONEncoder().encode(size), as: UTF8.self)
    }

    @Test func codableAsAnsibleWritesIt() throws {
        #expect(try encode(decode("25")) == "25")
        #expect(try encode(decode("\"10%\"")) == "\"10%\"")
        #expect(try encode(decode("[1, 5, \"20%\"]")) == "[1,5,\"20%\"]")
        #expect(try encode(decode("[3]")) == "[3]")
        // Ansible's int("25") accepts a numeric string; it is stored as the number.
        #expect(try decode("\"25\"").items == [.count(25)])
        #expect(try decode("4.0").items == [.count(4)])
    }

    @Test(arguments: ["0", "-3", "[]", "[1, 0]", "\"0%\"", "2.5", "true", "null", "{}", "[[1]]", "\"x\""])
    func decodingRejects(json: String) {
        #expect(throws: (any Error).self) { try decode(json) }
    }
}
