import PledgeCore
import Testing

/// Email addresses as RFC 5321 mailboxes (issue 24 finding 8; C29: the privacy centre emails a link).
@Suite("Email addresses")
struct EmailAddressTests {
    @Test(
        "finding 8: what a mail system would read as several addresses, a broken command or no address is refused",
        arguments: [
            "a,b@example.org", "x>y@example.org", "<x@example.org>", "\"quoted\"@example.org", "a b@example.org", "a@b",
            "a..b@example.org", ".a@example.org", "a.@example.org", "a@-example.org", "a@example-.org", "a@exa_mple.org",
            "a@example.org\r\nRCPT TO:<b@example.net>", "a@[127.0.0.1]", "a@@example.org", "@example.org", "a@", "a;b@example.org",
            String(repeating: "a", count: 65) + "@example.org",
        ])
    func refused(_ address: String) {
        #expect(!EmailAddress.isValid(address))
        #expect(throws: IdentifierError.self) { try SubjectIdentifier(kind: .email, raw: address) }
    }

    @Test(
        "C29: ordinary and international addresses are taken",
        arguments: [
            "ada@example.com", "o'brien+news@mail.example.co.uk", "first.last@sub-domain.example.org", "josé@exämple.de", "x@xn--mnchen-3ya.de",
        ])
    func accepted(_ address: String) {
        #expect(EmailAddress.isValid(address))
    }
}
