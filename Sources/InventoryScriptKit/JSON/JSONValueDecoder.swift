import InventoryModel

/// Decodes the API's wire types from a ``JSONValue`` read by ``JSONParser``.
///
/// Foundation's `JSONDecoder` is not linked into inventory-script (it would pull in Foundation
/// and forget key order); this reads the parsed tree instead, so variables keep their order and
/// their Python types (`1.0` stays a float, `1` an int, `true` never becomes `1`), and
/// `JSONValue`/`JSONObject` fields are taken over as they are, without a walk.
public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decodeValue(T.self)
    }
}

private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch(JSONObject.self, "an object")
        }
        return KeyedDecodingContainer(KeyedTree<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else {
            throw mismatch([JSONValue].self, "an array")
        }
        return UnkeyedTree(array: array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleTree(decoder: self) }

    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.typeName)"))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        // The trees the parser built are kept as they are.
        if T.self == JSONValue.self { return value as! T }
        if T.self == JSONObject.self {
            guard case .object(let object) = value else { throw mismatch(JSONObject.self, "an object") }
            return object as! T
        }
        // A batch's host vars: one entry per host, taken over without a keyed container walk.
        if T.self == [String: JSONValue].self {
            guard case .object(let object) = value else { throw mismatch(JSONObject.self, "an object") }
            var map: [String: JSONValue] = [:]
            map.reserveCapacity(object.count)
            for (key, member) in object { map[key] = member }
            return map as! T
        }
        if T.self == [String].self {
            guard case .array(let array) = value else { throw mismatch([String].self, "an array") }
            var strings: [String] = []
            strings.reserveCapacity(array.count)
            for (i, element) in array.enumerated() {
                guard case .string(let s) = element else {
                    throw DecodingError.typeMismatch(
                        String.self,
                        .init(
                            codingPath: codingPath + [IndexKey(i)],
                            debugDescription: "expected a string, found \(element.typeName)"))
                }
                strings.append(s)
            }
            return strings as! T
        }
        switch T.self {
        case is Bool.Type: return try SingleTree(decoder: self).decode(Bool.self) as! T
        case is String.Type: return try SingleTree(decoder: self).decode(String.self) as! T
        case is Int.Type: return try SingleTree(decoder: self).decode(Int.self) as! T
        case is Double.Type: return try SingleTree(decoder: self).decode(Double.self) as! T
        default: return try T(from: self)
        }
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func child(_ key: Key) throws -> TreeDecoder {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no \"\(key.stringValue)\""))
        }
        return TreeDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = object[key.stringValue] else { return true }
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).decodeValue(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try TreeDecoder(value: value, codingPath: codingPath + [key]).decodeValue(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { TreeDecoder(value: .object(object), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String { String(intValue!) }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedTree: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(array: [JSONValue], codingPath: [any CodingKey]) {
        self.array = array
        self.codingPath = codingPath
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                .init(codingPath: codingPath, debugDescription: "the array has only \(array.count) items"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: array[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = array[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleTree: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = decoder.value else { throw decoder.mismatch(type, "true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = decoder.value else { throw decoder.mismatch(type, "a string") }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw decoder.mismatch(type, "a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int {
        guard case .int(let i) = decoder.value else { throw decoder.mismatch(type, "an integer") }
        return i
    }

    func decode<T: BinaryInteger & Decodable>(integer type: T.Type) throws -> T {
        let i = try decode(Int.self)
        guard let exact = T(exactly: i) else { throw decoder.mismatch(type, "an integer that fits \(type)") }
        return exact
    }

    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
}

extension DecodingError {
    /// `$.batch.groups.web.hosts[3]: expected a string, found int`, for one-line messages.
    public var pathAndReason: String {
        let (context, reason): (DecodingError.Context, String) =
            switch self {
            case .typeMismatch(_, let c): (c, c.debugDescription)
            case .valueNotFound(_, let c): (c, c.debugDescription)
            case .keyNotFound(let key, let c): (c, "missing key \"\(key.stringValue)\"")
            case .dataCorrupted(let c): (c, c.debugDescription)
            @unknown default: (DecodingError.Context(codingPath: [], debugDescription: "\(self)"), "\(self)")
            }
        var path = "$"
        for key in context.codingPath {
            if let index = key.intValue { path += "[\(index)]" } else { path += "." + key.stringValue }
        }
        return "\(path): \(reason)"
    }
}
