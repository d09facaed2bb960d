import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// The unsubscribe link's token (issue 28 §3; RFC 8058, PECR reg 23): a MAC over recipient, campaign
/// and day, never a guessable id.
@Suite("Unsubscribe token")
struct UnsubscribeTokenTests {
    let key = SymmetricKey(size: .bits256)
    let issued = CalendarDate(year: 2026, month: 12, day: 5)

    @Test("OEX-60/CLQ-25: a token reads back as the recipient, campaign and day it was made for")
    func roundTrip() throws {
        let token = UnsubscribeToken(subject: UUID(), campaign: UUID(), issued: issued)
        let text = token.text(key: key)
        #expect(text.count == 91 && !text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(try UnsubscribeToken(text: text, key: key, today: issued) == token)
        #expect(try UnsubscribeToken(text: text, key: key, today: CalendarDate(year: 2028, month: 12, day: 4)) == token)
    }

    @Test("a forged, altered, foreign-keyed or expired token is refused")
    func refused() {
        let text = UnsubscribeToken(subject: UUID(), campaign: UUID(), issued: issued).text(key: key)
        var altered = Array(text)
        altered[3] = altered[3] == "A" ? "B" : "A"
        let expired = CalendarDate(year: 2028, month: 12, day: 5)
        for (candidate, refusal) in [
            (String(altered), UnsubscribeToken.Refusal.invalid), ("", .invalid), (String(repeating: "A", count: 91), .invalid),
            (text + "A", .invalid), (String(text.dropLast()), .invalid), (text.replacingOccurrences(of: "-", with: "+"), .invalid),
        ] where candidate != text {
            #expect(throws: refusal) { try UnsubscribeToken(text: candidate, key: key, today: issued) }
        }
        #expect(throws: UnsubscribeToken.Refusal.invalid) { try UnsubscribeToken(text: text, key: SymmetricKey(size: .bits256), today: issued) }
        #expect(throws: UnsubscribeToken.Refusal.expired) { try UnsubscribeToken(text: text, key: key, today: expired) }
    }

    @Test(
        "OEX-60/CLQ-25 (PECR reg 23, RFC 2369): the mailto: address's subject carries the token, read back from the message a mail client sends, folded or replied to; a token only in the body is not read"
    )
    func byMail() {
        let text = UnsubscribeToken(subject: UUID(), campaign: UUID(), issued: issued).text(key: key)
        let mailto = UnsubscribeMail.mailto("privacy@northwind.example", token: text)
        #expect(mailto == "privacy@northwind.example?subject=unsubscribe%20\(text)")
        func message(_ headers: String, body: String = "Please stop.") -> [UInt8] { Array((headers + "\r\n\r\n" + body).utf8) }
        #expect(UnsubscribeMail.token(in: message("From: ada@example.com\r\nSubject: unsubscribe \(text)")) == text)
        #expect(UnsubscribeMail.token(in: message("Subject: Re: UNSUBSCRIBE\r\n \(text)\r\nFrom: ada@example.com")) == text, "folded, replied")
        #expect(UnsubscribeMail.token(in: Array("Subject: unsubscribe \(text)\n\nhi".utf8)) == text, "bare LF line ends")
        // As Python's email package (and other clients) write a word too long for a line: RFC 2047 encoded words, folded.
        func qEncoded(_ part: Substring) -> String { part.replacingOccurrences(of: "_", with: "=5F") }  // "_" is a space in Q
        let q = "=?utf-8?q?\(qEncoded(text.prefix(45)))?=\r\n =?utf-8?q?\(qEncoded(text.dropFirst(45)))?="
        #expect(UnsubscribeMail.token(in: message("Subject: unsubscribe \(q)")) == text, "Q-encoded")
        let b = "=?UTF-8?B?\(Data("unsubscribe \(text)".utf8).base64EncodedString())?="
        #expect(UnsubscribeMail.token(in: message("Subject: \(b)")) == text, "B-encoded")
        #expect(UnsubscribeMail.decodingEncodedWords("a =?utf-8?q?b_c?= d =?x?z?e?= =?utf-8?q?=41?=") == "a b c d =?x?z?e?= A")
        #expect(UnsubscribeMail.token(in: message("Subject: unsubscribe", body: "unsubscribe \(text)")) == nil, "the body is not read")
        #expect(UnsubscribeMail.token(in: message("Subject: unsubscribe <script>")) == nil)
        #expect(UnsubscribeMail.token(in: message("X-Subject: unsubscribe \(text)")) == nil)
        #expect(UnsubscribeMail.token(in: [UInt8](repeating: 0xFF, count: 100_000)) == nil)
    }
}
