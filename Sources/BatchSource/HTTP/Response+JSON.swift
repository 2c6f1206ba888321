import HTTPTypes
import Hummingbird
import NIOCore

/// The one way a route writes an answer: a wire type through its Codable form.
extension Response {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try Wire.sharedEncoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A body that is text already (a stored inventory, the OpenAPI document).
    static func text(
        _ text: String, contentType: String = "application/json; charset=utf-8", status: HTTPResponse.Status = .ok
    ) -> Response {
        Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
