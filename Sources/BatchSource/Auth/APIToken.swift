import Crypto
import Foundation

/// A bearer token as handed to users: `bs_<id>_<secret>`.
///
/// The id finds the stored row without scanning; only SHA-256 of the secret is stored, and
/// it is compared in constant time, so neither a database dump nor response timing gives
/// the secret away.
public struct APIToken: Sendable, Hashable {
    public let id: String
    public let secret: String

    static let prefix = "bs_"

    /// A new random token (16 hex id, 43-character base64url secret from 32 random bytes).
    public static func generate() -> APIToken {
        var rng = SystemRandomNumberGenerator()  // getrandom(2) on Linux: cryptographically secure
        let idBytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let id = idBytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return APIToken(id: id, secret: secret)
    }

    /// Parses `bs_<id>_<secret>`; nil for anything else (the caller answers 401).
    public init?(parsing text: String) {
        // On UTF-8 bytes: a token is ASCII, and this runs on every authenticated request.
        let bytes = text.utf8
        guard bytes.starts(with: Self.prefix.utf8) else { return nil }
        let rest = bytes.dropFirst(Self.prefix.utf8.count)
        guard let sep = rest.firstIndex(of: UInt8(ascii: "_")) else { return nil }
        let id = rest[..<sep], secret = rest[bytes.index(after: sep)...]
        func isHex(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
        }
        guard id.count == 16, id.allSatisfy(isHex), secret.count >= 16, secret.count <= 128,
            secret.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        self.id = String(decoding: id, as: UTF8.self)
        self.secret = String(decoding: secret, as: UTF8.self)
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// The string users put after `Bearer `.
    public var text: String { "\(Self.prefix)\(id)_\(secret)" }

    /// The hex SHA-256 of the secret: what the database keeps.
    public var secretHash: String { Self.hash(secret) }

    static func hash(_ secret: String) -> String {
        // Hex by table: this runs on every authenticated request, and String(radix:) per byte
        // cost more than the hash itself.
        let digest = SHA256.hash(data: Array(secret.utf8))
        let hex: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 64) { out in
            var i = 0
            for byte in digest {
                out[i] = hex.utf8Start[Int(byte >> 4)]
                out[i + 1] = hex.utf8Start[Int(byte & 0x0F)]
                i += 2
            }
            return i
        }
    }

    /// Compares two hashes in time that depends only on their length.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
