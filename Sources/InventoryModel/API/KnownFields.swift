extension Decoder {
    /// Refuses any key of the object being decoded that is not in `known`: a request body with
    /// a misspelt or unsupported field is an error (422), never silently ignored. This is the
    /// API's one rule for request bodies, stated in the OpenAPI document as
    /// `additionalProperties: false`.
    public func refuseUnknownFields(_ known: some Collection<String>) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        guard let stranger = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) })
        else { return }
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: codingPath + [AnyCodingKey(stranger)],
                debugDescription: "unknown field; the fields here are \(known.sorted().joined(separator: ", "))"))
    }
}

extension KeyedDecodingContainer {
    /// An optional integer that must lie in `range`; the refusal names the field, the range and the value.
    func decodeIfPresent(_ type: Int.Type, forKey key: Key, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try decodeIfPresent(Int.self, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: WireLimits.mustBeIn(range, got: value)))
        }
        return value
    }

    /// An optional string whose length must lie in `range`.
    func decodeIfPresent(_ type: String.Type, forKey key: Key, length range: ClosedRange<Int>) throws -> String? {
        guard let value = try decodeIfPresent(String.self, forKey: key) else { return nil }
        if let problem = WireLimits.lengthProblem(value, range) {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key], debugDescription: problem))
        }
        return value
    }
}
