import Foundation
import PledgeStore
import Testing

@testable import PledgeJobs

/// How a relay address decides the protection of the connection (issue 5 §10; UK GDPR Art 32(1)(a)).
@Suite("SMTP relay settings")
struct SMTPRelayTests {
    @Test(
        "a relay on this machine may be plain; smtp:// elsewhere means STARTTLS on 587; smtps:// means TLS on 465",
        arguments: [
            ("smtp://127.0.0.1", SMTPRelay.Security.none, 25),
            ("smtp://localhost:2525", .none, 2525),
            ("smtp://127.0.0.1:2525?tls=starttls", .startTLS, 2525),
            ("smtp://mail.example.org", .startTLS, 587),
            ("smtp://mail.example.org:25", .startTLS, 25),
            ("smtps://mail.example.org", .implicitTLS, 465),
            ("smtps://mail.example.org:2465?tls=implicit", .implicitTLS, 2465),
        ])
    func security(_ url: String, _ security: SMTPRelay.Security, _ port: Int) throws {
        let relay = try SMTPRelay(url: url, from: "privacy@example.org")
        #expect(relay.security == security)
        #expect(relay.port == port)
        #expect(relay.credentials == nil)
    }

    @Test(
        "mail never crosses a network unencrypted, a password never goes over plain SMTP, and a bad setting says what to write",
        arguments: [
            ("smtp://mail.example.org?tls=none", "must be encrypted"),
            ("smtps://mail.example.org?tls=starttls", "does not fit"),
            ("smtp://mail.example.org?tls=sometimes", "does not fit"),
            ("http://mail.example.org", "is not an SMTP relay address"),
            ("smtp://", "is not an SMTP relay address"),
            ("smtp://user:secret@127.0.0.1", "only over TLS"),
            ("smtp://user@mail.example.org", "no password was given"),
        ])
    func refusals(_ url: String, _ reason: String) {
        #expect {
            _ = try SMTPRelay(url: url, from: "privacy@example.org")
        } throws: { error in
            guard case SMTPError.configuration(let message) = error else { return false }
            return message.contains(reason)
        }
    }

    @Test("the user comes from the address, the password from outside it (or the address); AUTH PLAIN carries both; descriptions hide the password")
    func credentials() throws {
        let relay = try SMTPRelay(url: "smtp://mailer%40example.org@mail.example.org", from: "privacy@example.org", password: "s3cret")
        let credentials = try #require(relay.credentials)
        #expect(credentials.user == "mailer@example.org")
        #expect(Data(base64Encoded: credentials.plainResponse) == Data("\0mailer@example.org\0s3cret".utf8))
        #expect(!"\(credentials)".contains("s3cret"))
        #expect(!String(describing: relay).contains("s3cret"))
        #expect(try SMTPRelay(url: "smtps://u:inline@mail.example.org", from: "privacy@example.org").credentials?.password == "inline")
        #expect(throws: SMTPError.configuration("The sender 'nobody' is not an email address.")) {
            _ = try SMTPRelay(url: "smtps://mail.example.org", from: "nobody")
        }
    }

    @Test("a trust file that is not there is refused when the client is made, not when the first email is due")
    func trustFile() {
        #expect {
            _ = try SMTPClient(
                relay: try SMTPRelay(
                    url: "smtps://mail.example.org", from: "privacy@example.org",
                    trustedCertificatesFile: "/nonexistent/ca.pem"))
        } throws: { error in
            guard case SMTPError.configuration(let message) = error else { return false }
            return message.contains("/nonexistent/ca.pem")
        }
    }

    @Test("issue 27 §3: a message's Message-ID comes from its outbox row, so one sent again after a node died mid-send is the same message")
    func stableMessageID() throws {
        let email = OutgoingEmail(to: "ada@example.com", subject: "Confirm", text: "Hello")
        let id = UUID()
        let first = SMTPClient.message(email, id: id, from: "privacy@example.org", at: Date(timeIntervalSince1970: 0))
        let again = SMTPClient.message(email, id: id, from: "privacy@example.org", at: Date(timeIntervalSince1970: 60))
        let header = "Message-ID: <\(id.uuidString.lowercased())@example.org>"
        #expect(first.contains(header + "\r\n") && again.contains(header + "\r\n"))
    }

    @Test("RFC 5322 §3.3: the Date header, written by arithmetic, is what a POSIX date formatter writes, over leap days and before 1970")
    func dateHeader() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        var instants = [-86_401.0, -1, 0, 59, 951_782_400, 951_868_799.5, 1_709_164_800, 1_798_761_599, 4_102_444_800]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { instants.append(Double(Int64.random(in: -2_000_000_000...8_000_000_000, using: &generator))) }
        for instant in instants.map(Date.init(timeIntervalSince1970:)) {
            #expect(SMTPClient.dateHeader(instant) == formatter.string(from: instant), "\(instant.timeIntervalSince1970)")
        }
        #expect(SMTPClient.dateHeader(Date(timeIntervalSince1970: 1_795_338_300)) == "Sun, 22 Nov 2026 09:05:00 +0000")
    }

    @Test("issue 28 §3 (RFC 6376 §3.4.5): relaxed canonicalisation of headers and body, as the RFC's example")
    func relaxedCanonicalisation() {
        let fields = DKIMSigner.headerFields("A: X\r\nB : Y\t\r\n\tZ  ")
        #expect(fields.map { DKIMSigner.relaxedHeader(name: $0.name, value: $0.value) } == ["a:X", "b:Y Z"])
        #expect(DKIMSigner.relaxedBody(" C \r\nD \t E\r\n\r\n\r\n") == " C\r\nD E\r\n")
        #expect(DKIMSigner.relaxedBody("\r\n\r\n") == "")
        // Empty lines inside the body stay; white space alone is an empty line; a last line gets its CRLF.
        #expect(DKIMSigner.relaxedBody("a\r\n\r\n \t\r\nb  \t") == "a\r\n\r\n\r\nb\r\n")
        #expect(DKIMSigner.relaxedBody(" \t \r\n") == "")
        #expect(DKIMSigner.relaxedBody("") == "")
        #expect(DKIMSigner.emptyLine(in: Array("A: b\r\nC: d\r\n\r\nbody\r\n\r\n".utf8)) == 10)
        #expect(DKIMSigner.emptyLine(in: Array("A: b\r\n".utf8)) == nil)
    }

    @Test("issue 28 §3 (RFC 8058, RFC 2369): a marketing message carries both unsubscribe headers; a service message neither")
    func listUnsubscribeHeaders() {
        let unsubscribe = ListUnsubscribe(url: "https://privacy.example.org/unsubscribe/T", mailto: "unsubscribe@example.org")
        let marketing = SMTPClient.message(
            OutgoingEmail(to: "ada@example.com", subject: "News", text: "Hi", listUnsubscribe: unsubscribe), id: UUID(), from: "news@example.org",
            at: Date(timeIntervalSince1970: 0))
        #expect(marketing.contains("List-Unsubscribe: <mailto:unsubscribe@example.org>, <https://privacy.example.org/unsubscribe/T>\r\n"))
        #expect(marketing.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        let service = SMTPClient.message(
            OutgoingEmail(to: "ada@example.com", subject: "Invoice", text: "Hi"), id: UUID(), from: "news@example.org",
            at: Date(timeIntervalSince1970: 0))
        #expect(!service.contains("List-Unsubscribe"))
    }

    @Test("issue 28 §3 (RFC 6376 §3.5): the signature header is folded at 76 columns after a tag's space, and b= in pieces of 72")
    func signatureFolding() {
        let value =
            "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=northwind.example; s=news; t=0; h=from:to:subject; bh="
            + String(
                repeating: "Q", count: 44) + "; b=" + String(repeating: "S", count: 100)
        let folded = DKIMSigner.folded(value)
        let lines = folded.components(separatedBy: "\r\n\t")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 } && lines.count == 4)
        #expect(lines[0].hasSuffix("t=0;") && lines[1].hasPrefix("h=") && lines[2] == "b=" + String(repeating: "S", count: 70))
        // Unfolded, with b='s folding white space deleted as a verifier does, it is the value signed.
        #expect(lines.prefix(2).joined(separator: " ") + " " + lines.suffix(2).joined() == value)
    }

    @Test("RFC 2920, RFC 3207: an EHLO reply's extensions are found by keyword in any case, never inside another word")
    func extensions() {
        let features = "relay.example SIZE 10240000 pipelining 8BITMIME STARTTLS"
        #expect(SMTPClient.offers("PIPELINING", in: features) && SMTPClient.offers("STARTTLS", in: features))
        #expect(!SMTPClient.offers("PIPELINING", in: "relay.example XPIPELINING SIZE") && !SMTPClient.offers("AUTH", in: features))
    }

    @Test("SMTP replies are read line by line, a multi-line reply joined; an unfinished line waits for its CRLF")
    func replyLines() {
        #expect(ReplyReader.lineEnd(in: Array("250-a\r\n250 b\r\n".utf8)) == 5)
        #expect(ReplyReader.lineEnd(in: Array("250 b\r".utf8)) == nil && ReplyReader.lineEnd(in: []) == nil)
    }

    @Test("C19: the footer and pixel go before the last closing body tag in any case, after any other text, or at the end without one")
    func footerPlacement() {
        #expect(CampaignDelivery.inserting("F", into: "<p>é</p></BODY></html>") == "<p>é</p>F\n</BODY></html>")
        #expect(CampaignDelivery.inserting("F", into: "<body>a</body>b</Body>") == "<body>a</body>bF\n</Body>")
        #expect(CampaignDelivery.inserting("F", into: "<p>no tag</p>") == "<p>no tag</p>\nF")
        #expect(CampaignDelivery.inserting("F", into: "\u{1C}/body>") == "\u{1C}/body>\nF", "only a real tag counts")
    }
}
