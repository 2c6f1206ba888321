import Foundation
import HTTPTypes
import Hummingbird
import InventoryModel

/// An error answered as `{"error": {"code", "message"}}` with its status (and `Retry-After`).
public struct APIError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var retryAfterSeconds: Int?
    /// More headers of the answer, such as `Allow` beside a 405.
    public var headers: HTTPFields
    /// The body's `details`, facts for programs.
    public var details: JSONObject?

    public init(
        status: Int, code: String, message: String, retryAfterSeconds: Int? = nil, headers: HTTPFields = [:],
        details: JSONObject? = nil
    ) {
        self.status = HTTPResponse.Status(code: status)
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.headers = headers
        self.details = details
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        let body = APIErrorBody(code: code, message: message, retryAfterSeconds: retryAfterSeconds, details: details)
        let data =
            (try? Wire.encoder.encode(body))
            ?? Data(#"{"error":{"code":"internal","message":"unencodable error"}}"#.utf8)
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps whatever a handler threw onto the API's error model. Unknown errors become a 500
    /// whose message names no internals (they are logged with the request id instead).
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as EngineError:
            return APIError(
                status: e.status, code: e.code, message: e.message, retryAfterSeconds: e.retryAfterSeconds,
                details: e.details)
        case let e as StoreUnavailableError:
            return APIError(
                status: 503, code: "store_unavailable", message: "the database is unavailable: \(e.description)",
                retryAfterSeconds: 2)
        case let e as DecodingError:
            return APIError(
                status: 400, code: "bad_request", message: "malformed request body: \(DecodingMessage.describe(e))")
        case let e as InventoryError:
            // Thrown while decoding wire types that parse text (batch_size, host patterns).
            return APIError(status: 422, code: "invalid_request", message: "\(e)")
        case let e as ConfigurationError:
            return APIError(status: 422, code: "invalid_request", message: e.description)
        case let e as HTTPError:
            switch e.status.code {
            case 404: return APIError(status: 404, code: "not_found", message: e.body ?? "no such route")
            case 405:
                return APIError(
                    status: 405, code: "method_not_allowed", message: e.body ?? "method not allowed on this route")
            case 413:
                return APIError(
                    status: 413, code: "payload_too_large",
                    message: "request body is larger than the service's limit (--max-body)")
            default:
                return APIError(
                    status: Int(e.status.code), code: "http_\(e.status.code)", message: e.body ?? e.status.reasonPhrase)
            }
        case let e as any HTTPResponseError where e.status == .contentTooLarge:
            return APIError(
                status: 413, code: "payload_too_large",
                message: "request body is larger than the service's limit (--max-body)")
        default:
            return APIError(
                status: 500, code: "internal",
                message: "internal error; the service log has the details under this request's id")
        }
    }
}
