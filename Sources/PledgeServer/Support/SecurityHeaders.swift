import HTTPTypes

/// The headers every answer carries (issue 24 finding 8), added where answers are made: baked into
/// the fast routes' fixed headers (`ContractJSON.headers`, `PageViewRoute`) and added to every
/// generated route's answer by `ResponseHeaderMiddleware`. (As a router middleware of its own the
/// extra async hop cost a fifth of a gate decision's throughput: 28k against 36k a second.)
/// - a Content-Security-Policy that allows no script and no framing on Pledge's own pages (they
///   need none: the banner and tracker run on the organisation's pages, not here);
/// - `nosniff`, so a browser never reads an answer as another type than it says;
/// - `Referrer-Policy: no-referrer`, since the privacy centre's addresses carry follow keys;
/// - `Cache-Control: no-store` unless the answer set its own (the scripts and notices do), so
///   personal data stays out of shared and browser caches;
/// - `Content-Disposition: attachment` on exports and identity documents, which are downloaded,
///   never opened in Pledge's origin.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// For answers that are not pages (JSON, scripts, files): nothing in them may load or frame anything.
    static let dataContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'"

    /// What a downloaded type is saved as.
    static let attachments: [(type: String, field: HTTPField)] = [
        ("application/zip", "personal-data.zip"), ("application/pdf", "document.pdf"), ("image/png", "document.png"), ("image/jpeg", "document.jpg"),
    ].map { ($0.0, HTTPField(name: .contentDisposition, value: "attachment; filename=\"\($0.1)\"")) }

    // Made once: setting fields by subscript on every answer (a search and a check each) was 7% of a
    // gate decision's time (perf, bench/http.sh); appending made fields is not.
    private static let every = [HTTPField(name: .xContentTypeOptions, value: "nosniff"), HTTPField(name: .referrerPolicy, value: "no-referrer")]
    private static let page = [HTTPField(name: .contentSecurityPolicy, value: contentSecurityPolicy), HTTPField(name: .xFrameOptions, value: "DENY")]
    private static let dataPolicy = [HTTPField(name: .contentSecurityPolicy, value: dataContentSecurityPolicy)]
    private static let noStore = HTTPField(name: .cacheControl, value: "no-store")

    /// The fixed headers of a data answer (not a page) that sets no Cache-Control of its own.
    static let data: [HTTPField] = every + dataPolicy + [noStore]

    /// Adds the headers to `headers`, keeping a Cache-Control the answer chose; nothing when they
    /// are there already (an answer made with `data`).
    static func apply(to headers: inout HTTPFields) {
        guard headers[.xContentTypeOptions] == nil else { return }
        let type = headers[.contentType] ?? ""
        let hasCacheControl = headers[.cacheControl] != nil
        headers.append(contentsOf: every)
        headers.append(contentsOf: type.isMediaType("text/html") ? page : dataPolicy)
        if !hasCacheControl { headers.append(noStore) }
        if let attachment = attachments.first(where: { type.isMediaType($0.type) }) { headers.append(attachment.field) }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
