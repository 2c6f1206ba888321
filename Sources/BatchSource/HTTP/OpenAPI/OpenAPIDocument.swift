import Foundation

/// The OpenAPI 3.0.3 description of the HTTP API (`openapi.json` beside this file, a resource
/// of this target), served at `/api/v1/openapi.json`.
enum OpenAPIDocument {
    /// The document's text, read once; `serve` asks for it before it listens, so a missing
    /// resource stops the service at start with this message rather than failing a request.
    static let json: Result<String, ConfigurationError> = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            return .failure(
                ConfigurationError(
                    "openapi.json is missing: install the BatchSource_BatchSource.resources folder beside the "
                        + "batch-source executable"
                ))
        }
        return .success(text)
    }()
}
