import Foundation

/// The contract this server implements, as shipped in the bundle.
enum OpenAPIDocument {
    static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw APIError(.internalError, message: "The OpenAPI document is missing from the build.")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
