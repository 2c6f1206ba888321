// `JSONObject` is an OrderedDictionary, whose own Codable form is a flat array of keys and
// values. On the wire, vars must be JSON objects, so the wire types code them through these.

extension KeyedEncodingContainer {
    /// Encodes vars as a JSON object (never OrderedDictionary's flat key/value array).
    mutating func encodeObject(_ object: JSONObject, forKey key: Key) throws {
        try encode(JSONValue.object(object), forKey: key)
    }

    /// Encodes a map of vars per name as a JSON object of JSON objects.
    mutating func encodeObjectsIfPresent(_ objects: [String: JSONObject]?, forKey key: Key) throws {
        guard let objects else { return }
        try encode(objects.mapValues(JSONValue.object), forKey: key)
    }
}

extension KeyedDecodingContainer {
    /// Decodes vars that must be a JSON object; a missing key is `{}`.
    func decodeObject(forKey key: Key) throws -> JSONObject {
        guard let value = try decodeIfPresent(JSONValue.self, forKey: key) else { return [:] }
        switch value {
        case .object(let object): return object
        case .null: return [:]
        default:
            throw DecodingError.typeMismatch(
                JSONObject.self, .init(codingPath: codingPath + [key], debugDescription: "vars must be a JSON object"))
        }
    }

    func decodeObjectsIfPresent(forKey key: Key) throws -> [String: JSONObject]? {
        guard let map = try decodeIfPresent([String: JSONValue].self, forKey: key) else { return nil }
        var result: [String: JSONObject] = [:]
        for (name, value) in map {
            guard case .object(let object) = value else {
                throw DecodingError.typeMismatch(
                    JSONObject.self,
                    .init(codingPath: codingPath + [key], debugDescription: "vars of \(name) must be a JSON object"))
            }
            result[name] = object
        }
        return result
    }
}
