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
}
