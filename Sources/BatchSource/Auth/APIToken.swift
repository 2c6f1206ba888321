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
        guard text.hasPrefix(Self.prefix) else { return nil }
        let rest = text.dropFirst(Self.prefix.count)
        guard let sep = rest.firstIndex(of: "_") else { return nil }
        let id = rest[..<sep], secret = rest[rest.index(after: sep)...]
        guard id.count == 16, id.allSatisfy(\.isHexDigit), secret.count >= 16, secret.count <= 128 else { return nil }
        self.id = String(id)
        self.secret = String(secret)
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
        SHA256.hash(data: Data(secret.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
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
