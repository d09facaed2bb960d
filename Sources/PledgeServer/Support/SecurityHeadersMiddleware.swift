import HTTPTypes
import Hummingbird

/// The headers every answer carries (issue 24 finding 8):
/// - a Content-Security-Policy that allows no script and no framing on Pledge's own pages (they
///   need none: the banner and tracker run on the organisation's pages, not here);
/// - `nosniff`, so a browser never reads an answer as another type than it says;
/// - `Referrer-Policy: no-referrer`, since the privacy centre's addresses carry follow keys;
/// - `Cache-Control: no-store` unless the answer set its own (the scripts and notices do), so
///   personal data stays out of shared and browser caches;
/// - `Content-Disposition: attachment` on exports and identity documents, which are downloaded,
///   never opened in Pledge's origin.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PledgeRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// What a downloaded type is saved as.
    static let attachments: [String: String] = [
        "application/zip": "personal-data.zip", "application/pdf": "document.pdf", "image/png": "document.png", "image/jpeg": "document.jpg",
    ]

    func handle(_ request: Request, context: PledgeRequestContext, next: (Request, PledgeRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.apply(to: &response.headers)
        return response
    }

    /// Adds the headers to `headers`, keeping a Cache-Control the answer chose.
    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if let type = headers[.contentType]?.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
           let name = attachments[type] {
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
