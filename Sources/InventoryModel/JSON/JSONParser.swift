/// Where a JSON text stopped making sense: line and column (1-based) and what was expected.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Reads JSON text into ``JSONValue``s, keeping object keys in document order.
///
/// A hand-written reader because Foundation's `JSONDecoder` forgets key order (Ansible keeps
/// it) and because inventories of a million hosts must be read in seconds. It accepts what
/// Python's `json.loads` accepts, which is what Ansible reads inventory scripts with:
/// `NaN`, `Infinity` and `-Infinity` included; for a key given twice the last value wins.
public struct JSONParser {
    /// Parses a whole document; anything but white space after the value is an error.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var copy = text
        return try copy.withUTF8 { buffer in Result { () throws(JSONSyntaxError) in try parse(bytes: buffer) } }.get()
    }

    /// Parses a whole document from UTF-8 bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONByteParser(bytes: bytes)
        parser.skipByteOrderMark()
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("unexpected data after the JSON value")
        }
        return value
    }

    /// Parses inventory-script JSON as ``parse(_:)`` does (same errors), except that the
    /// top-level `_meta.hostvars` object, when it is one, comes back as a table (its place in
    /// the document holds an empty object): the script reader looks every host up in it, and a
    /// million-key OrderedDictionary would only be hashed to be thrown away.
    static func parseScript(_ text: String) throws(JSONSyntaxError) -> (document: JSONValue, hostvars: JSONObjectTable?)
    {
        var copy = text
        return try copy.withUTF8 { bytes in
            Result { () throws(JSONSyntaxError) in
                var parser = JSONByteParser(bytes: bytes)
                parser.skipByteOrderMark()
                parser.skipWhitespace()
                let value: JSONValue
                if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") {
                    value = try parser.parseObject(depth: 1, role: .scriptDocument)
                } else {
                    value = try parser.parseValue(depth: 0)
                }
                parser.skipWhitespace()
                if parser.index < bytes.count {
                    throw parser.error("unexpected data after the JSON value")
                }
                return (value, parser.hostvars)
            }
        }.get()
    }

    /// Parses a whole document from UTF-8 bytes.
    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in Result { () throws(JSONSyntaxError) in try parse(bytes: buffer) }
        }.get()
    }
}

private let maximumDepth = 512

/// Moves the last `count` elements of `scratch` into a new array of exactly that size, without
/// copying them (no reference counting): their slots get `filler`, a value with nothing to
/// release, and are then dropped.
private func takeLast<Element>(_ count: Int, from scratch: inout ContiguousArray<Element>, filler: Element)
    -> ContiguousArray<Element>
{
    let start = scratch.count - count
    let taken = scratch.withUnsafeMutableBufferPointer { buffer in
        ContiguousArray<Element>(unsafeUninitializedCapacity: count) { target, initialized in
            target.baseAddress!.moveInitialize(from: buffer.baseAddress! + start, count: count)
            (buffer.baseAddress! + start).initialize(repeating: filler, count: count)
            initialized = count
        }
    }
    scratch.removeLast(count)
    return taken
}

/// A JSON object held as an index of its keys and their values (see ``JSONParser/parseScript(_:)``).
struct JSONObjectTable {
    var keys: StringIndex
    var values: ContiguousArray<JSONValue>

    init(keys: StringIndex = StringIndex(), values: ContiguousArray<JSONValue> = []) {
        self.keys = keys
        self.values = values
    }

    init(_ object: JSONObject) {
        self.init(
            keys: StringIndex(uniqueKeys: object.keys, count: object.count), values: ContiguousArray(object.values))
    }
}

/// What an object is to ``JSONParser/parseScript(_:)``.
enum ObjectRole {
    case plain, scriptDocument, meta, hostvars
}

/// The reader behind ``JSONParser``: one pass over UTF-8 bytes.
struct JSONByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The last `_meta.hostvars` object of a script document, when it was read as a table.
    var hostvars: JSONObjectTable?
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String, at position: Int? = nil) -> JSONSyntaxError {
        let end = min(position ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        var i = 0
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        // Columns count characters, not bytes, so editors point at the right place.
        var column = 1
        i = lineStart
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func describeHere() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("expected a value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "N"): try expectWord("NaN"); return .double(.nan)
        case UInt8(ascii: "I"): try expectWord("Infinity"); return .double(.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a value, found \(describeHere())")
        }
    }

    mutating func expectWord(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard index + count <= bytes.count else { throw error("expected '\(word)'") }
        for i in 0..<count where bytes[index + i] != start[i] {
            throw error("expected '\(word)'")
        }
        index += count
    }

    // Members of the objects and arrays being read, innermost last: each container takes its
    // own off the top when it closes, into storage of exactly its size. Growing every small
    // array element by element instead cost several allocations per host.
    var scratchKeys = ContiguousArray<String>()
    var scratchValues = ContiguousArray<JSONValue>()

    mutating func parseObject(depth: Int, role: ObjectRole = .plain) throws(JSONSyntaxError) -> JSONValue {
        if depth > maximumDepth { throw error("nesting deeper than \(maximumDepth) levels") }
        index += 1
        skipWhitespace()
        var table = role == .hostvars ? JSONObjectTable() : nil
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            if let table { hostvars = table }
            return .object([:])
        }
        // The object is built once from its members, since inserting key by key into an
        // OrderedDictionary hashes and compares strings at every step. Repeated keys are found
        // by a scan while the object is small, then by a
        // StringIndex; the last value of a repeated key wins at the key's first place, as in
        // Python's dict.
        let base = scratchKeys.count
        var keyIndex: StringIndex?
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in double quotes, found \(describeHere())")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describeHere())")
            }
            index += 1
            skipWhitespace()
            let value: JSONValue
            let valueRole: ObjectRole? =
                switch role {
                case .scriptDocument where key == "_meta": .meta
                case .meta where key == "hostvars": .hostvars
                default: nil
                }
            if let valueRole {
                // A later `_meta` or `hostvars` replaces the earlier one, as its value does.
                hostvars = nil
                if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                    value = try parseObject(depth: depth + 1, role: valueRole)
                } else {
                    value = try parseValue(depth: depth)
                }
            } else {
                value = try parseValue(depth: depth)
            }
            if table != nil {
                let (inserted, position) = table!.keys.insert(key)
                if inserted { table!.values.append(value) } else { table!.values[position] = value }
            } else if let existing = position(of: key, from: base, index: &keyIndex) {
                scratchValues[base + existing] = value
            } else {
                scratchKeys.append(key)
                scratchValues.append(value)
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("expected ',' or '}', found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                if let table {
                    hostvars = table
                    return .object([:])
                }
                let count = scratchKeys.count - base
                return .object(
                    JSONObject(
                        uncheckedUniqueKeys: takeLast(count, from: &scratchKeys, filler: ""),
                        values: takeLast(count, from: &scratchValues, filler: .null)))
            }
            throw error("expected ',' or '}' after the value of \"\(key)\", found \(describeHere())")
        }
    }

    /// Where `key` already is among the object's keys (`scratchKeys[base...]`), or `nil` when it
    /// is new (and then noted in `index`, once there is one).
    private func position(of key: String, from base: Int, index: inout StringIndex?) -> Int? {
        if index == nil {
            let count = scratchKeys.count - base
            if count < 16 {
                var i = base
                while i < scratchKeys.count {
                    if scratchKeys[i] == key { return i - base }
                    i += 1
                }
                return nil
            }
            index = StringIndex(uniqueKeys: scratchKeys[base...], count: count)
        }
        let (inserted, position) = index!.insert(key)
        return inserted ? nil : position
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        if depth > maximumDepth { throw error("nesting deeper than \(maximumDepth) levels") }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        let base = scratchValues.count
        while true {
            skipWhitespace()
            let value = try parseValue(depth: depth)
            scratchValues.append(value)
            skipWhitespace()
            guard index < bytes.count else { throw error("expected ',' or ']', found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(Array(takeLast(scratchValues.count - base, from: &scratchValues, filler: .null)))
            }
            throw error("expected ',' or ']' in a list, found \(describeHere())")
        }
    }
}
