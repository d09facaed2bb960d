import Crypto
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Guards the admin operations with the administrator bearer token. (API keys with roles replace
/// this in the vault work; the operations to guard are named here in one place.)
struct AdminAuthMiddleware: ServerMiddleware {
    static let adminOperations: Set<String> = ["getDeclarationStatus", "publishDeclaration"]

    /// SHA-256 of the token, so the token itself is not kept in memory longer than start-up.
    let tokenDigest: [UInt8]?

    init(token: String?) {
        tokenDigest = token.flatMap { $0.isEmpty ? nil : Array(SHA256.hash(data: Data($0.utf8))) }
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard Self.adminOperations.contains(operationID) else { return try await next(request, body, metadata) }
        guard let expected = tokenDigest else {
            throw APIError(status: .forbidden, code: "auth.disabled", message: "The admin API is disabled: start the server with PLEDGE_ADMIN_TOKEN set.")
        }
        guard let header = request.headerFields[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError(status: .unauthorized, code: "auth.missing", message: "This operation needs 'Authorization: Bearer <admin token>'.")
        }
        let presented = Array(SHA256.hash(data: Data(header.dropFirst("bearer ".count).utf8)))
        // Compare digests in constant time.
        guard zip(presented, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw APIError(status: .forbidden, code: "auth.invalid", message: "The admin token is not valid.")
        }
        return try await next(request, body, metadata)
    }
}
