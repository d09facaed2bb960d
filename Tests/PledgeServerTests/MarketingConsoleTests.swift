import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeStore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The console's marketing pages (issue 28 §8), signed in by cookie as a browser is: campaigns with a
/// composer, preview and send; the suppression list's look-up and staff entry.
@Suite("Marketing console")
struct MarketingConsoleTests {
    @Test(
        "C17/C18/APX-23 (issue 28 §8): a draft from the composer is checked as the API checks it; its page previews who may receive it, sends it once, stops and resumes it; values are escaped; a form without its token changes nothing",
        arguments: StoreBackend.all)
    func campaigns(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let session = try await ConsoleTests.session(client, try #require(keys.tokens["marketing"]))
            let csrf = ConsoleSessions.formToken(for: session)
            func post(_ uri: String, _ fields: [String: String]) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(
                    uri: uri, method: .post, headers: ConsoleTests.cookie(session, contentType: ConsoleTests.formType),
                    body: ConsoleTests.form(fields)
                ) { ($0.status, $0.body.text, $0.headers[.location]) }
            }
            func page(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .get, headers: ConsoleTests.cookie(session)) { ($0.status, $0.body.text) }
            }
            #expect(try await page("/admin/campaigns").1.contains("id=\"campaigns-empty\""))
            let (refused, refusedPage, _) = try await post(
                "/admin/campaigns", ["csrf": csrf, "purpose": "billing", "subject": "Invoice", "text": "20% off your next plan"])
            #expect(refused == .unprocessableContent && refusedPage.contains("campaign.service-promotional"))
            #expect(refusedPage.contains("20% off your next plan</textarea>"), "the composer keeps what was typed")
            let (forged, _, _) = try await post("/admin/campaigns", ["purpose": "newsletter", "subject": "News", "text": "Hello"])
            #expect(forged == .forbidden, "no form token: refused")
            #expect(try await page("/admin/campaigns").1.contains("id=\"campaigns-empty\""), "nothing stored")

            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            try await MarketingAPITests.consent(client, keys, ada)
            let (created, _, location) = try await post(
                "/admin/campaigns", ["csrf": csrf, "purpose": "newsletter", "subject": "<script>alert(1)</script>", "text": "Hello"])
            let uri = try #require(location)
            #expect(created == .seeOther && uri.hasPrefix("/admin/campaigns/"))
            let draft = try await page(uri).1
            #expect(draft.contains("id=\"preview-recipients\">1<") && draft.contains("id=\"send\""), "\(draft)")
            #expect(draft.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !draft.contains("<script>alert(1)"))
            #expect(try await page("/admin/campaigns").1.contains("&lt;script&gt;alert(1)"))

            let (sent, _, back) = try await post(uri + "/send", ["csrf": csrf])
            #expect(sent == .seeOther && back == uri)
            let sending = try await page(uri).1
            #expect(sending.contains("data-state=\"queued\"><td>queued</td><td>1<") && !sending.contains("id=\"send\""))
            let (again, againPage, _) = try await post(uri + "/send", ["csrf": csrf])
            #expect(again == .conflict && againPage.contains("campaign.already-sent"))
            // Stop and resume from the page (issue 28 §2).
            #expect(sending.contains("id=\"stop\"") && !sending.contains("id=\"resume\""))
            #expect(try await post(uri + "/control", ["action": "stop"]).0 == .forbidden, "no form token: refused")
            let (stopped, _, stoppedBack) = try await post(uri + "/control", ["csrf": csrf, "action": "stop"])
            #expect(stopped == .seeOther && stoppedBack == uri)
            let halted = try await page(uri).1
            #expect(halted.contains("id=\"state\">stopped<") && halted.contains("id=\"resume\"") && !halted.contains("id=\"stop\""))
            let (twice, twicePage, _) = try await post(uri + "/control", ["csrf": csrf, "action": "stop"])
            #expect(twice == .conflict && twicePage.contains("campaign.not-sending"))
            #expect(try await post(uri + "/control", ["csrf": csrf, "action": "resume"]).0 == .seeOther)
            #expect(try await page(uri).1.contains("id=\"state\">sending<"))
            #expect(try await page("/admin/campaigns/\(UUID().uuidString.lowercased())").0 == .notFound)
        }
    }

    @Test(
        "C18/OEX-59/CLQ-46 (issue 28 §4, §8): staff enter an opt-out taken by phone and look addresses up, in the form's body, never a URL; bad input is refused with nothing stored",
        arguments: StoreBackend.all)
    func suppressions(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let session = try await ConsoleTests.session(client, try #require(keys.tokens["support"]))
            let csrf = ConsoleSessions.formToken(for: session)
            func post(_ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: "/admin/suppressions", method: .post, headers: ConsoleTests.cookie(session, contentType: ConsoleTests.formType),
                    body: ConsoleTests.form(fields.merging(["csrf": csrf]) { $1 })
                ) { ($0.status, $0.body.text) }
            }
            let empty = try await client.execute(uri: "/admin/suppressions", method: .get, headers: ConsoleTests.cookie(session)) { $0 }
            #expect(empty.status == .ok && empty.body.text.contains("Enter an opt-out"))
            let (added, addedPage) = try await post(["action": "add", "identifier": "Leaving@Example.com", "reason": "staff_opt_out"])
            #expect(added == .ok && addedPage.contains("Suppressed.") && addedPage.contains("is suppressed (staff opt out"), "\(addedPage)")
            let (_, lookedUp) = try await post(["action": "lookup", "identifier": "leaving@example.com"])
            #expect(lookedUp.contains("is suppressed (staff opt out"))
            let (_, other) = try await post(["action": "lookup", "identifier": "+44 1632 960001"])
            #expect(other.contains("is not suppressed"))
            let (bad, badPage) = try await post(["action": "add", "identifier": "not an address", "reason": "objection"])
            #expect(bad == .unprocessableContent && badPage.contains("id=\"suppression-error\""))
            let (noReason, _) = try await post(["action": "add", "identifier": "ada@example.com"])
            #expect(noReason == .unprocessableContent)
            let (_, ada) = try await post(["action": "lookup", "identifier": "ada@example.com"])
            #expect(ada.contains("is not suppressed"), "nothing stored")
        }
    }
}
