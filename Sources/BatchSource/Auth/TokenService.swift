import Foundation

/// Who a request acts as, once its token checked out.
public struct Principal: Sendable, Hashable {
    public var tokenId: String
    public var name: String
    public var scope: Scope
}

/// A stored token as operators see it: never the secret, never its hash.
public struct TokenInfo: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var scope: Scope
    public var createdAt: String
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, scope
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// Creates, lists, revokes and verifies bearer tokens in the store.
///
/// Verified tokens are remembered for `cacheSeconds` so that a busy claimer does not cost a
/// database read per request; a revocation therefore takes effect within that time on every
/// replica (documented in the README).
public final class TokenService: Sendable {
    let store: any Store
    let cacheSeconds: Double
    private let cache = BoundedCache<String, (hash: String, principal: Principal, until: Double)>(capacity: 4096)

    public init(store: any Store, cacheSeconds: Double = 5) {
        self.store = store
        self.cacheSeconds = cacheSeconds
    }

    /// Stores a new token and returns it: the only time its secret is seen.
    public func create(name: String, scope: Scope) async throws -> (TokenInfo, APIToken) {
        try Names.check(name, kind: "token")
        let token = APIToken.generate()
        let info = try await store.write { tx -> TokenInfo in
            if try tx.row("SELECT id FROM tokens WHERE name = ?", [.text(name)]) != nil {
                throw EngineError.conflict(
                    "already_exists", "a token named \(name) exists; revoke it first or pick another name")
            }
            let now = RFC3339.string(from: try tx.now())
            try tx.execute(
                "INSERT INTO tokens (id, name, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(token.id), .text(name), .text(token.secretHash), .text(scope.rawValue), .text(now)])
            return TokenInfo(id: token.id, name: name, scope: scope, createdAt: now)
        }
        return (info, token)
    }

    /// Makes sure a token given to the service at start-up (file or env) exists, as admin.
    /// Its name is `bootstrap` (or `bootstrap-<id>` when that name is taken by another token).
    public func ensureBootstrap(_ token: APIToken) async throws {
        try await store.write { tx in
            if let row = try tx.row("SELECT secret_hash FROM tokens WHERE id = ?", [.text(token.id)]) {
                guard APIToken.constantTimeEqual(try row.text("secret_hash"), token.secretHash) else {
                    throw ConfigurationError(
                        "the bootstrap token's id \(token.id) is stored with another secret; use the stored token or "
                            + "a new one"
                    )
                }
                return
            }
            let taken = try tx.row("SELECT id FROM tokens WHERE name = 'bootstrap'", []) != nil
            let now = RFC3339.string(from: try tx.now())
            try tx.execute(
                "INSERT INTO tokens (id, name, secret_hash, scopes, created_at) VALUES (?, ?, ?, 'admin', ?)",
                [
                    .text(token.id), .text(taken ? "bootstrap-\(token.id)" : "bootstrap"), .text(token.secretHash),
                    .text(now),
                ])
        }
    }

    public func list() async throws -> [TokenInfo] {
        try await store.read { tx in
            try tx.rows("SELECT id, name, scopes, created_at, revoked_at FROM tokens ORDER BY name", []).map(Self.info)
        }
    }

    /// Revokes a token by name or id; revoking twice is a no-op that still answers the token.
    public func revoke(_ nameOrId: String) async throws -> TokenInfo {
        let info = try await store.write { tx -> TokenInfo in
            guard
                let row = try tx.row(
                    "SELECT id, name, scopes, created_at, revoked_at FROM tokens WHERE name = ? OR id = ?",
                    [.text(nameOrId), .text(nameOrId)])
            else {
                throw EngineError.notFound("token", nameOrId)
            }
            var info = try Self.info(row)
            if info.revokedAt == nil {
                let now = RFC3339.string(from: try tx.now())
                try tx.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", [.text(now), .text(info.id)])
                info.revokedAt = now
            }
            return info
        }
        cache.removeValue(for: info.id)
        return info
    }

    /// The principal of a bearer token, or nil when it is unknown, revoked or wrong.
    public func verify(_ bearer: String) async throws -> Principal? {
        guard let token = APIToken(parsing: bearer) else { return nil }
        let hash = token.secretHash
        let now = Date().timeIntervalSince1970
        if let hit = cache[token.id], hit.until > now {
            return APIToken.constantTimeEqual(hit.hash, hash) ? hit.principal : nil
        }
        let found = try await store.read { tx -> (String, Principal)? in
            guard
                let row = try tx.row(
                    "SELECT secret_hash, name, scopes FROM tokens WHERE id = ? AND revoked_at IS NULL",
                    [.text(token.id)])
            else { return nil }
            return (
                try row.text("secret_hash"),
                Principal(tokenId: token.id, name: try row.text("name"), scope: try row.value("scopes", as: Scope.self))
            )
        }
        guard let (stored, principal) = found else { return nil }
        cache.insert((stored, principal, now + cacheSeconds), for: token.id)
        return APIToken.constantTimeEqual(stored, hash) ? principal : nil
    }

    private static func info(_ row: SQLRow) throws(SQLRowError) -> TokenInfo {
        TokenInfo(
            id: try row.text("id"), name: try row.text("name"), scope: try row.value("scopes", as: Scope.self),
            createdAt: try row.text("created_at"), revokedAt: try row["revoked_at"].text)
    }
}
