import Hummingbird
import Logging

/// What one request carries between middleware and handlers: who it acts as.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from the bearer token; nil on the public health routes.
    public var principal: Principal?
    /// The request id, echoed as `X-Request-Id` and logged with every line of the request.
    public var requestID: String = ""
    /// The body limit of this service (`--max-body`).
    public var bodyLimit: Int = 512 * 1024 * 1024

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { bodyLimit }

    /// Throws 403 unless the token's scope covers `scope`.
    public func require(_ scope: Scope) throws -> Principal {
        guard let principal else {
            throw APIError(
                status: 401, code: "unauthorized", message: "this endpoint needs an Authorization: Bearer token")
        }
        guard principal.scope.allows(scope) else {
            throw APIError(
                status: 403, code: "forbidden",
                message: "token \(principal.name) has scope \(principal.scope.rawValue); this needs \(scope.rawValue)")
        }
        return principal
    }
}
