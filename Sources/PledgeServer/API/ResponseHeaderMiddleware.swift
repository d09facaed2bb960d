import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Adds the security headers every answer carries (`SecurityHeaders`), and undoes the
/// percent-encoding that swift-openapi-runtime applies to response header values
/// (apple/swift-openapi-generator#857): `Cache-Control: max-age%3D3600` is ignored by browsers and
/// `ETag: %22…%22` never matches. Only the headers Pledge's contract declares are touched.
struct ResponseHeaderMiddleware: ServerMiddleware {
    static let plainHeaders: [HTTPField.Name] = [.eTag, .cacheControl, .vary, .contentEncoding, .location, .setCookie, .xPledgeSkipped]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        SecurityHeaders.apply(to: &response.headerFields)
        for name in Self.plainHeaders {
            if let value = response.headerFields[name], case let plain = value.percentDecoded, plain != value {
                response.headerFields[name] = plain
            }
        }
        return (response, responseBody)
    }
}
