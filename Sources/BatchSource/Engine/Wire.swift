import Foundation

/// The JSON coders of the API's wire types.
public enum Wire {
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    public static var decoder: JSONDecoder { JSONDecoder() }

    /// One shared encoder for the hot paths (swift-foundation's JSONEncoder is Sendable and
    /// its options are not changed after this).
    static let sharedEncoder: JSONEncoder = encoder

    public static func encodeString(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
