import HTTPTypes
import Hummingbird

/// Answers a request whose path exists with another method with 405 and an `Allow` header
/// (RFC 9110 §15.5.6) instead of the router's 404. Added after the routes, it runs only for
/// requests no route took, and it knows the routes from the router itself.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Each route's path elements and the methods it has.
    private let routes: [(path: [RouterPath.Element], methods: [HTTPRequest.Method])]

    init(routes: [Router<APIRequestContext>.RouteDescription]) {
        var byPath: [String: (path: [RouterPath.Element], methods: [HTTPRequest.Method])] = [:]
        for route in routes {
            byPath[route.path.description, default: (Array(route.path.components), [])].methods.append(route.method)
        }
        self.routes = Array(byPath.values)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(path: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            throw APIError(
                status: 405, code: "method_not_allowed",
                message: "\(request.method) is not a method of \(request.uri.path); it has \(allowed)",
                headers: [.allow: allowed])
        }
    }

    /// The methods of the routes whose path matches, as an `Allow` value ("GET, PATCH").
    func allowedMethods(path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: Set<String> = []
        for route in routes where Self.matches(route.path, segments) {
            methods.formUnion(route.methods.map(\.rawValue))
        }
        return methods.sorted().joined(separator: ", ")
    }

    private static func matches(_ elements: [RouterPath.Element], _ segments: [Substring]) -> Bool {
        if elements.last == .recursiveWildcard {
            return segments.count >= elements.count - 1
                && zip(elements.dropLast(), segments).allSatisfy { $0 ~= $1 }
        }
        return elements.count == segments.count && zip(elements, segments).allSatisfy { $0 ~= $1 }
    }
}
