import Hummingbird
import InventoryModel
import NIOCore
import Synchronization

/// The last JSON body written for each key, reused while the answer is the same value: a
/// polled answer (a cursor's state and progress) mostly is, and comparing two values costs a
/// fraction of writing one.
final class EncodedAnswers<Value: WireJSONValue & Equatable & Sendable>: Sendable {
    private let last = Mutex<[String: (value: Value, body: ByteBuffer)]>([:])
    private let capacity = 1024

    func response(for key: String, _ value: Value) -> Response {
        let body: ByteBuffer
        if let hit = last.withLock({ $0[key] }), hit.value == value {
            body = hit.body
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(1024)
            JSONWriter(indent: nil, sortKeys: true).write(value.wireJSON, into: &bytes)
            body = ByteBuffer(bytes: bytes)
            last.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[key] = (value, body)
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}
