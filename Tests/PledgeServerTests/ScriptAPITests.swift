import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// `/consent.js` and `/pledge.js` (issue 4 §1, §4, §5): generated from the declaration, small,
/// cached by ETag, in the visitor's language, usable from other origins.
@Suite("Banner and tracker scripts")
struct ScriptAPITests {
    static func get(_ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    @Test("C10 quality: consent.js with its CSS is at most 12 KB gzipped, the tracker at most 2 KB; both carry the declaration")
    func sizes() async throws {
        try await TestServer().test { client in
            let gzip: HTTPFields = [.acceptEncoding: "gzip, deflate, br"]
            let banner = try await Self.get(client, "/consent.js", gzip)
            #expect(banner.status == .ok)
            #expect(banner.headers[.contentEncoding] == "gzip" && banner.headers[.contentType] == "application/javascript")
            #expect(banner.body.readableBytes <= 12 * 1024, "consent.js is \(banner.body.readableBytes) bytes gzipped")
            let tracker = try await Self.get(client, "/pledge.js", gzip)
            #expect(tracker.headers[.contentEncoding] == "gzip")
            #expect(tracker.body.readableBytes <= 2 * 1024, "pledge.js is \(tracker.body.readableBytes) bytes gzipped")
            let plain = try await Self.get(client, "/consent.js")
            #expect(plain.headers[.contentEncoding] == nil)
            let text = plain.body.text
            #expect(text.contains("\"id\":\"embedded_content\"") && text.contains("player.vimeo.com") && text.contains(".pledge-dialog{"))
            #expect(!text.contains("__PLEDGE_CONFIG__") && !text.contains("__PLEDGE_CSS__"))
            // No external requests: the only origin the banner talks to is the one it came from.
            #expect(!text.contains("https://") && !text.contains("http://"))
            let trackerText = try await Self.get(client, "/pledge.js").body.text
            #expect(trackerText.contains("\"svc\":\"statistics\"") && trackerText.contains("\"x\":true"))
        }
    }

    @Test("caching: an ETag, an hour's max-age, and 304 for a matching If-None-Match; a new declaration is a new ETag")
    func caching() async throws {
        try await TestServer().test { client in
            let first = try await Self.get(client, "/consent.js")
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
            #expect(first.headers[.cacheControl] == "public, max-age=3600")
            let again = try await Self.get(client, "/consent.js", [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let stale = try await Self.get(client, "/consent.js", [.ifNoneMatch: "\"old\""])
            #expect(stale.status == .ok)
        }
        let welsh = try TestServer(editing: { $0.replacingOccurrences(of: "default_language: en", with: "default_language: cy") })
        try await welsh.test { client in
            let text = try await Self.get(client, "/consent.js").body.text
            #expect(text.contains("Gwrthod y cyfan"))
        }
    }

    @Test("C10 wording: English by default, Welsh built in (?lang=cy or Accept-Language), a declared language overrides")
    func languages() async throws {
        let french = try TestServer(editing: {
            $0.replacingOccurrences(
                of: "default_language: en",
                with: """
                    default_language: en
                      languages:
                        - code: fr
                          strings:
                            accept_all: Tout accepter
                            reject_all: Tout refuser
                    """)
        })
        try await french.test { client in
            #expect(try await Self.get(client, "/consent.js").body.text.contains("\"rejectAll\":\"Reject all\""))
            #expect(try await Self.get(client, "/consent.js?lang=cy").body.text.contains("\"rejectAll\":\"Gwrthod y cyfan\""))
            let negotiated = try await Self.get(client, "/consent.js", [.acceptLanguage: "cy-GB, en;q=0.8"])
            #expect(negotiated.body.text.contains("\"lang\":\"cy\""))
            #expect(negotiated.headers[.vary] == "Accept-Encoding, Accept-Language")
            let declared = try await Self.get(client, "/consent.js?lang=fr").body.text
            #expect(declared.contains("\"rejectAll\":\"Tout refuser\"") && declared.contains("\"save\":\"Save my choices\""))
        }
    }

    @Test("other origins: a CORS preflight for the consent endpoint allows POST with a JSON body but no Authorization header")
    func crossOrigin() async throws {
        try await TestServer().test { client in
            let preflight = try await client.execute(
                uri: "/v1/consents", method: .options,
                headers: [
                    .origin: "https://shop.example", HTTPField.Name("Access-Control-Request-Method")!: "POST",
                ]
            ) { $0 }
            #expect(preflight.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "*")
            let allowed = preflight.headers[HTTPField.Name("Access-Control-Allow-Headers")!] ?? ""
            #expect(allowed.contains("content-type") && !allowed.lowercased().contains("authorization"))
        }
    }
}
