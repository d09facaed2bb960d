import Testing

@testable import PledgeCore

@Suite("The footer of a campaign's messages, written once a batch")
struct CampaignFooterTests {
    @Test("C18/APX-23/CAM-26 (PECR reg 23): a marketing footer's text and HTML carry the same sender, address and links")
    func marketing() throws {
        var organisation = try Examples.declaration("compliant").organisation
        organisation.legalName = "<Ada & Co> Ltd"
        organisation.registeredOffice = "1 \"Quay\" St, Bristol"
        organisation.contact.email = "privacy@ada.example"
        let footer = try #require(CampaignFooter(for: organisation, service: false))
        let unsubscribe = "https://x.example/unsubscribe/AbC-_1.x", preferences = "https://x.example/preferences/AbC-_1.x"
        #expect(
            footer.text(unsubscribeURL: unsubscribe, preferencesURL: preferences)
                == "--\nSent by <Ada & Co> Ltd, 1 \"Quay\" St, Bristol.\nTo stop these emails, unsubscribe: \(unsubscribe)\n"
                + "To choose what we send you: \(preferences)")
        // Every byte of the declaration's wording escaped; each link whole, in href and text alike.
        #expect(
            footer.html(unsubscribeURL: unsubscribe, preferencesURL: preferences)
                == "<hr>\n<p>Sent by &lt;Ada &amp; Co&gt; Ltd, 1 &quot;Quay&quot; St, Bristol.<br>\n"
                + "To stop these emails, unsubscribe: <a href=\"\(unsubscribe)\">\(unsubscribe)</a><br>\n"
                + "To choose what we send you: <a href=\"\(preferences)\">\(preferences)</a></p>")
        // Without a preference centre the line is left out of both.
        #expect(!footer.text(unsubscribeURL: unsubscribe).contains("choose") && !footer.html(unsubscribeURL: unsubscribe).contains("choose"))
    }

    @Test("An address in the sender's line is linked; a link that would break out of its attribute is escaped")
    func escaping() throws {
        var organisation = try Examples.declaration("compliant").organisation
        organisation.registeredOffice = "write to post@ada.example"
        let footer = try #require(CampaignFooter(for: organisation, service: false))
        let html = footer.html(unsubscribeURL: "https://x.example/u/\"><script>")
        #expect(html.contains("<a href=\"mailto:post@ada.example\">post@ada.example</a>"))
        #expect(html.contains("<a href=\"https://x.example/u/&quot;&gt;&lt;script&gt;\">") && !html.contains("<script>"))
    }

    @Test("No postal address in the declaration, no footer, so no campaign (PECR reg 23(b))")
    func noAddress() throws {
        var organisation = try Examples.declaration("compliant").organisation
        organisation.registeredOffice = nil
        organisation.addresses = nil
        organisation.contact.post = nil
        #expect(CampaignFooter(for: organisation, service: false) == nil && CampaignFooter(for: organisation, service: true) == nil)
    }
}
