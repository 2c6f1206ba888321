import InventoryModel

/// How vars and index lists are kept in TEXT columns: compact JSON, key order kept.
enum JSONText {
    static let writer = JSONWriter(indent: nil, sortKeys: false)

    static func encode(_ object: JSONObject) -> SQLValue {
        object.isEmpty ? .null : .text(writer.string(.object(object)))
    }

    static func decodeObject(_ value: SQLValue) throws -> JSONObject {
        guard let text = value.text else { return [:] }
        guard case .object(let o) = try JSONParser.parse(text) else { return [:] }
        return o
    }

    static func encode(_ ints: some Sequence<Int>) -> SQLValue {
        .text("[" + ints.map(String.init).joined(separator: ",") + "]")
    }

    /// Reads `[1,2,3]` without a JSON tree: these lists can hold a million entries.
    static func decodeInts(_ value: SQLValue) -> [Int] {
        guard let text = value.text else { return [] }
        var result: [Int] = []
        var current = 0
        var inNumber = false
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 {
                current = current * 10 + Int(b - 0x30)
                inNumber = true
            } else if inNumber {
                result.append(current)
                current = 0
                inNumber = false
            }
        }
        if inNumber { result.append(current) }
        return result
    }
}
