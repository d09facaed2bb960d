import Foundation
import OpenAPIRuntime
import PledgeCore

/// `/consent.js` and `/pledge.js`: generated for the declaration in force, gzip when accepted,
/// cached by browsers for an hour and revalidated by ETag.
extension PledgeAPI {
    /// Browsers keep a script for an hour, so a new declaration reaches visitors within the hour.
    static let scriptCacheControl = "public, max-age=3600"

    func getConsentScript(_ input: Operations.GetConsentScript.Input) async throws -> Operations.GetConsentScript.Output {
        let current = try inForce()
        let language = BannerText.language(
            requested: input.query.lang, acceptLanguage: input.headers.acceptLanguage, settings: current.declaration.banner)
        let reply = ScriptReply(
            try scripts.banner(current, language: language), vary: "Accept-Encoding, Accept-Language",
            ifNoneMatch: input.headers.ifNoneMatch, acceptEncoding: input.headers.acceptEncoding)
        guard let body = reply.body else {
            return .notModified(.init(headers: .init(eTag: reply.etag, cacheControl: reply.cacheControl, vary: reply.vary)))
        }
        return .ok(
            .init(
                headers: .init(eTag: reply.etag, cacheControl: reply.cacheControl, vary: reply.vary, contentEncoding: reply.encoding),
                body: .applicationJavascript(body)))
    }

    func getTrackerScript(_ input: Operations.GetTrackerScript.Input) async throws -> Operations.GetTrackerScript.Output {
        let reply = ScriptReply(
            try scripts.tracker(try inForce()), vary: "Accept-Encoding",
            ifNoneMatch: input.headers.ifNoneMatch, acceptEncoding: input.headers.acceptEncoding)
        guard let body = reply.body else {
            return .notModified(.init(headers: .init(eTag: reply.etag, cacheControl: reply.cacheControl, vary: reply.vary)))
        }
        return .ok(
            .init(
                headers: .init(eTag: reply.etag, cacheControl: reply.cacheControl, vary: reply.vary, contentEncoding: reply.encoding),
                body: .applicationJavascript(body)))
    }

    /// What to answer for a script: nothing new (no body) or the script, compressed if accepted.
    struct ScriptReply {
        let etag: String
        let vary: String
        let cacheControl = PledgeAPI.scriptCacheControl
        let encoding: String?
        let body: HTTPBody?

        init(_ asset: ScriptAsset, vary: String, ifNoneMatch: String?, acceptEncoding: String?) {
            etag = asset.etag
            self.vary = vary
            let gzip = PledgeAPI.acceptsGzip(acceptEncoding)
            encoding = gzip ? "gzip" : nil
            body =
                PledgeAPI.matches(ifNoneMatch, asset.etag)
                ? nil
                : HTTPBody(gzip ? asset.gzip.readableBytesView : asset.plain.readableBytesView)
        }
    }

    /// True when an If-None-Match header names `etag` (or is `*`).
    static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }

    /// True when Accept-Encoding allows gzip (RFC 9110 §12.5.3: q=0 refuses it).
    static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        (acceptEncoding ?? "").split(separator: ",").contains { entry in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            return !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" }
        }
    }
}
