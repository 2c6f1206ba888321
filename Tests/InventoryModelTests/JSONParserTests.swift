import Testing
@testable import InventoryModel

@Suite("JSON parser and the string index behind it")
struct JSONParserTests {
    @Test("a repeated key keeps its first place and its last value, in small and large objects")
    func repeatedKeys() throws {
        #expect(try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#) == .object(["a": 3, "b": 2]))
        let keys = (0..<40).map { "key\($0)" }
        let members = keys.enumerated().map { "\"\($1)\": \($0)" } + [#""key3": "again""#, #""key39": null"#, #""key0": [1]"#]
        let object = try #require(try JSONParser.parse("{" + members.joined(separator: ", ") + "}").objectValue)
        #expect(Array(object.keys) == keys)
        #expect(object["key3"] == "again")
        #expect(object["key39"] == .null)
        #expect(object["key0"] == [1])
        #expect(object["key7"] == 7)
        #expect(object.index(forKey: "key25") == 25)
    }

    @Test("nested containers come out whole and in order")
    func nesting() throws {
        let value = try JSONParser.parse(#"{"x": {"a": [1, {"b": 2, "c": []}], "d": {}}, "y": [[], {}, [1, [2, "3"]]], "z": "é\n"}"#)
        let expected: JSONValue = [
            "x": ["a": [1, ["b": 2, "c": []]], "d": [:]],
            "y": [[], [:], [1, [2, "3"]]],
            "z": "é\n",
        ]
        #expect(value == expected)
        #expect(Array(value.objectValue!.keys) == ["x", "y", "z"])
    }

    @Test("string index: positions in order of first insertion, String equality")
    func stringIndex() {
        var index = StringIndex()
        for i in 0..<5000 { #expect(index.insert("name-\(i % 3000)") == (i < 3000, i % 3000)) }
        #expect(index.count == 3000)
        #expect(index.index(of: "name-2999") == 2999)
        #expect(index.index(of: "name-3000") == nil)
        // Canonically equivalent strings are equal Strings, so one key, as in an OrderedSet.
        #expect(index.insert("caf\u{E9}").inserted)
        #expect(index.insert("cafe\u{301}") == (false, 3000))
    }
}
