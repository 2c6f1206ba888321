import Foundation
import HTTPTypes
import Hummingbird
import InventoryModel
import NIOCore

/// What routes read of a request: its body, query parameters, paging and path parameters.
extension Request {
    /// The whole body, refused with 413 beyond the service's limit.
    func bodyBytes(context: APIRequestContext) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: context.bodyLimit)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw APIError(
                status: 413, code: "payload_too_large",
                message: "request body is larger than the service's limit of \(context.bodyLimit) bytes (--max-body)")
        }
    }

    /// Decodes a JSON body into a wire type; an empty body decodes as `{}` when `emptyIsObject`.
    /// Text that is not JSON is a 400; JSON that does not fit the type (a wrong type, a
    /// missing or unknown field, a number out of range) is a 422 naming the field.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: APIRequestContext, emptyIsObject: Bool = false) async throws
        -> T
    {
        var buffer = try await bodyBytes(context: context)
        var bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if !bytes.isEmpty { try requireJSONMediaType() }
        if bytes.isEmpty {
            guard emptyIsObject else {
                throw APIError(status: 400, code: "bad_request", message: "request body is empty; send a JSON object")
            }
            bytes = Array("{}".utf8)
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(bytes: bytes)
        } catch {
            throw APIError(status: 400, code: "bad_request", message: "request body is not valid JSON: \(error)")
        }
        // JSONParser reads Python's NaN and Infinity too; they are not JSON.
        if let path = Self.firstNumber(in: parsed, where: { !$0.isFinite }) {
            throw APIError(
                status: 400, code: "bad_request",
                message:
                    "request body is not valid JSON: \(path.isEmpty ? "" : "\(path): ")NaN and Infinity are not JSON")
        }
        do {
            return try Wire.decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            // JSONDecoder refuses a whole document with an integer beyond 64 bits; name its field.
            if let path = Self.firstNumber(in: parsed, where: { $0 == $0.rounded() && abs($0) >= 0x1p63 }) {
                throw APIError(
                    status: 422, code: "invalid_request",
                    message: "\(path): the number is too large (integers here are at most 64 bits)")
            }
            throw APIError(status: 422, code: "invalid_request", message: DecodingMessage.describe(error))
        }
    }

    /// The path (`a.b[2]`) of the first float in `value` that `test` picks.
    private static func firstNumber(in value: JSONValue, path: String = "", where test: (Double) -> Bool) -> String? {
        switch value {
        case .double(let d): return test(d) ? path : nil
        case .array(let items):
            for (i, item) in items.enumerated() {
                if let found = firstNumber(in: item, path: "\(path)[\(i)]", where: test) { return found }
            }
        case .object(let object):
            for (key, item) in object {
                if let found = firstNumber(in: item, path: path.isEmpty ? key : "\(path).\(key)", where: test) {
                    return found
                }
            }
        default: break
        }
        return nil
    }

    /// The body as a JSON object (for merge patch), with the parser's position on errors.
    func jsonObject(context: APIRequestContext) async throws -> JSONObject {
        var buffer = try await bodyBytes(context: context)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if !bytes.isEmpty { try requireJSONMediaType() }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: bytes)
        } catch {
            throw APIError(status: 400, code: "bad_request", message: "request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw APIError(
                status: 400, code: "bad_request", message: "request body must be a JSON object (a merge patch)")
        }
        return object
    }

    /// A JSON body must say so (`application/json`, `application/merge-patch+json`, any
    /// `+json`); none at all is taken as JSON. Anything else is 415, not guessed at.
    func requireJSONMediaType() throws {
        guard let given = headers[.contentType] else { return }
        let media = given.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media == "application/json" || media.hasSuffix("+json") else {
            throw APIError(
                status: 415, code: "unsupported_media_type",
                message: "request body must be JSON (Content-Type: application/json), got \(given)")
        }
    }

    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }

    /// An integer query parameter: 400 when it is not an integer, 422 when it is out of `range`.
    func intQuery(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = query(name) else { return value }
        guard let n = Int(text) else {
            throw APIError(
                status: 400, code: "bad_request", message: "query parameter \(name) must be an integer, got \"\(text)\""
            )
        }
        guard range.contains(n) else {
            throw APIError(
                status: 422, code: "invalid_request",
                message: "query parameter \(WireLimits.outOfRange(name, n, range))")
        }
        return n
    }

    func boolQuery(_ name: String) throws -> Bool {
        guard let text = query(name) else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default:
            throw APIError(
                status: 400, code: "bad_request",
                message: "query parameter \(name) must be true or false, got \"\(text)\"")
        }
    }

    /// `limit` (1-1000, default 100) and `offset` (default 0).
    func paging() throws -> (limit: Int, offset: Int) {
        (
            try intQuery("limit", default: 100, range: 1...1000),
            try intQuery("offset", default: 0, range: 0...Int(Int32.max))
        )
    }

    /// A query parameter that must be one of an enum's raw values.
    func enumQuery<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let text = query(name) else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(
                status: 400, code: "bad_request",
                message: "query parameter \(name) must be one of \(allowed), got \"\(text)\"")
        }
        return value
    }
}

extension APIRequestContext {
    /// A path parameter the router guarantees is there.
    func path(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw APIError(status: 400, code: "bad_request", message: "missing path parameter \(name)")
        }
        return value
    }

    /// An integer path parameter: 400 when it is not an integer, 422 when it is out of `range`.
    func intPath(_ name: String, range: ClosedRange<Int> = WireLimits.batchNumber) throws -> Int {
        let text = try path(name)
        guard let n = Int(text) else {
            throw APIError(status: 400, code: "bad_request", message: "\(name) must be an integer, got \"\(text)\"")
        }
        guard range.contains(n) else {
            throw APIError(status: 422, code: "invalid_request", message: WireLimits.outOfRange(name, n, range))
        }
        return n
    }
}
