import Foundation
import HTTPTypes
import Hummingbird
import InventoryModel
import Testing

@testable import BatchSource

/// The served OpenAPI document and the router agree: every route is documented, every
/// documented route exists, and each route demands exactly the scope the document states.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static func document() throws -> JSONObject {
        guard case .object(let doc) = try JSONParser.parse(try OpenAPIDocument.json.get()) else {
            throw ServiceTestError("the OpenAPI document is not a JSON object")
        }
        return doc
    }

    /// (METHOD, path) of every documented operation, with its x-required-scope.
    static func operations() throws -> [(method: String, path: String, scope: Scope?)] {
        let doc = try document()
        var result: [(String, String, Scope?)] = []
        for (path, item) in doc["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:]
            where ["get", "put", "post", "patch", "delete"].contains(method) {
                let scope = operation.objectValue?["x-required-scope"]?.stringValue.flatMap(Scope.init(rawValue:))
                result.append((method.uppercased(), path, scope))
            }
        }
        return result
    }

    @Test("it is OpenAPI 3 with paths and component schemas, served at /api/v1/openapi.json")
    func served() async throws {
        let doc = try Self.document()
        #expect(doc["openapi"]?.stringValue?.hasPrefix("3.") == true)
        #expect((doc["components"]?.objectValue?["schemas"]?.objectValue?.count ?? 0) >= 20)
        let f = try await APIFixture(hosts: 1)
        defer { f.cleanup() }
        try await f.run { api in
            let served = try await api.get("/api/v1/openapi.json", token: f.read)
            #expect(served.status == 200)
            #expect(served.json?.objectValue?["paths"] == doc["paths"])
        }
    }

    @Test("every route of the router is documented and every documented route is routed")
    func routesMatch() async throws {
        let f = try await APIFixture(hosts: 1)
        defer { f.cleanup() }
        let routed = Set(f.router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Set(try Self.operations().map { "\($0.method) \($0.path)" })
        #expect(routed.count >= 20)
        #expect(
            routed.subtracting(documented).isEmpty,
            "routes missing from the document: \(routed.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(routed).isEmpty,
            "documented routes that do not exist: \(documented.subtracting(routed).sorted())")
    }

    @Test("the scope matrix: each route refuses (403) exactly the tokens below its documented scope")
    func scopeMatrix() async throws {
        let f = try await APIFixture(hosts: 3)
        defer { f.cleanup() }
        let operations = try Self.operations()
        #expect(operations.filter { $0.scope != nil }.count >= 20)
        try await f.run { api in
            _ = try await api.createCursor("c")
            let tokens: [(Scope, String)] = [(.read, f.read), (.claim, f.claim), (.admin, f.admin)]
            // Destructive routes last, so the others still find their pool and cursor.
            for op in operations.sorted(by: { ($0.method == "DELETE" ? 1 : 0) < ($1.method == "DELETE" ? 1 : 0) }) {
                let uri = op.path.replacingOccurrences(of: "{pool}", with: "fleet").replacingOccurrences(
                    of: "{cursor}", with: "c"
                )
                .replacingOccurrences(of: "{batch}", with: "1")
                guard let required = op.scope else {
                    // Public routes answer without any token.
                    let open = try await api.call(HTTPRequest.Method(op.method)!, uri, token: .some(nil))
                    #expect(open.status != 401 && open.status != 403, "\(op.method) \(uri) should need no token")
                    continue
                }
                #expect(
                    try await api.call(HTTPRequest.Method(op.method)!, uri, token: .some(nil)).status == 401,
                    "\(op.method) \(uri) without a token")
                for (scope, token) in tokens {
                    let answer = try await api.call(HTTPRequest.Method(op.method)!, uri, token: token, text: "{}")
                    if scope.allows(required) {
                        #expect(
                            answer.status != 403 && answer.status != 401,
                            "\(op.method) \(uri) refused scope \(scope) (\(answer.text))")
                    } else {
                        #expect(answer.status == 403, "\(op.method) \(uri) let scope \(scope) in: \(answer.status)")
                    }
                }
            }
        }
    }
}

struct ServiceTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
