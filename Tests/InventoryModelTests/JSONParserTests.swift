import Testing
@testable import InventoryModel

@Suite("JSON parser and the string index behind it")
struct JSONParserTests {
    @Test("a repeated key keeps its first place and its last value, in small and large objects")
    func repeatedKeys() throws {
        #expect(try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#) == .object(["a": 3, "b": 2]))
        let keys = (0..<40).map { "key\($0)" }
        let members =
            keys.enumerated().map { "\"\($1)\": \($0)" } + [#""key3": "again""#, #""key39": null"#, #""key0": [1]"#]
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
        let value = try JSONParser.parse(
            #"{"x": {"a": [1, {"b": 2, "c": []}], "d": {}}, "y": [[], {}, [1, [2, "3"]]], "z": "é\n"}"#)
        let expected: JSONValue = [
            "x": ["a": [1, ["b": 2, "c": []]], "d": [:]],
            "y": [[], [:], [1, [2, "3"]]],
            "z": "é\n",
        ]
        #expect(value == expected)
        #expect(Array(value.objectValue!.keys) == ["x", "y", "z"])
    }

    @Test("script documents: _meta.hostvars comes out as a table, the last one given")
    func scriptDocuments() throws {
        let (document, table) = try JSONParser.parseScript(
            #"{"a": ["h"], "_meta": {"hostvars": {"h": {"x": 1}, "g": 2, "h": {"y": 2}}, "profile": "p"}}"#)
        #expect(document == ["a": ["h"], "_meta": ["hostvars": [:], "profile": "p"]])
        let hostvars = try #require(table)
        #expect(Array(hostvars.keys.keys) == ["h", "g"])
        #expect(Array(hostvars.values) == [["y": 2], 2])
        #expect(try JSONParser.parseScript(#"{"_meta": {"hostvars": {"h": {}}}, "_meta": {"x": 1}}"#).hostvars == nil)
        #expect(try JSONParser.parseScript(#"{"_meta": {"hostvars": {"h": {}}, "hostvars": 3}}"#).hostvars == nil)
        #expect(
            try JSONParser.parseScript(#"{"_meta": {"hostvars": {"h": {}}, "hostvars": {"k": 1}}}"#).hostvars.map {
                Array($0.keys.keys)
            } == ["k"])
        #expect(try JSONParser.parseScript(#"{"_meta": {"hostvars": {}}}"#).hostvars?.keys.count == 0)
        // Only the top level's `_meta` is special.
        #expect(try JSONParser.parseScript(#"{"g": {"_meta": {"hostvars": {"h": 1}}}}"#).hostvars == nil)
        #expect(try JSONParser.parseScript(#"[{"_meta": {"hostvars": {"h": 1}}}]"#).hostvars == nil)
    }

    @Test("script documents fail exactly where and how parse fails")
    func scriptDocumentErrors() {
        let broken = [
            #"{"_meta": {"hostvars": {"h": {"x": 1}, "g" 2}}}"#,
            #"{"_meta": {"hostvars": {"h": {"x": 1},}}}"#,
            #"{"_meta": {"hostvars": {"h": [1, 2}}}"#,
            #"{"_meta": {"hostvars": {1: 2}}}"#,
            #"{"_meta": {"hostvars": {"h": {}}} x"#,
            #"{"_meta": {"hostvars": {"h": {}"#,
            #"{"_meta" {"hostvars": {}}}"#,
            "{\"_meta\": {\"hostvars\": {\"h\": \"\u{1}\"}}}",
            "{\"_meta\": {\"hostvars\": " + String(repeating: "[", count: 600) + "}}",
        ]
        for text in broken {
            var generic: JSONSyntaxError?
            var script: JSONSyntaxError?
            do { _ = try JSONParser.parse(text) } catch { generic = error }
            do { _ = try JSONParser.parseScript(text) } catch { script = error }
            #expect(generic != nil, "\(text)")
            #expect(script == generic, "\(text)")
        }
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
