import Foundation
import Testing

@testable import PledgeCore

/// Review dates (issue 29 §6; C08, C23, C38): what is past or near its date, or has none.
@Suite("Review dates")
struct ReviewDatesTests {
    static let day = CalendarDate(year: 2026, month: 11, day: 21)

    @Test(
        "APX-45/C38/C08/C23 (Art 32(1)(d), Art 28): the compliant example needs nothing today; a late security review, an LIA never reviewed, a contract ending within 30 days, one ended and a processor with none are each named"
    )
    func attention() throws {
        var declaration = try Examples.declaration("compliant")
        #expect(ReviewDates.attention(declaration, on: Self.day).isEmpty)
        declaration.security.reviewed = CalendarDate(year: 2025, month: 5, day: 1)
        declaration.security.reviewInterval = RetentionPeriod(months: 6)
        declaration.legitimateInterests?[0].reviewed = nil
        declaration.recipients = declaration.recipients?.map { recipient in
            var recipient = recipient
            switch recipient.id {
            case "hosting": recipient.contract?.expires = CalendarDate(year: 2026, month: 12, day: 10)
            case "payments": recipient.contract?.expires = CalendarDate(year: 2026, month: 11, day: 1)
            case "mailer": recipient.contract = nil
            default: break
            }
            return recipient
        }
        let items = ReviewDates.attention(declaration, on: Self.day)
        func item(_ kind: ReviewItem.Kind, _ name: String) -> ReviewItem? { items.first { $0.kind == kind && $0.name == name } }
        #expect(
            item(.security, "security")
                == ReviewItem(kind: .security, name: "security", due: CalendarDate(year: 2025, month: 11, day: 1), standing: .overdue))
        let lia = try #require(declaration.legitimateInterests?.first?.id)
        #expect(item(.lia, lia)?.standing == .notRecorded)
        #expect(
            item(.contract, "hosting")
                == ReviewItem(kind: .contract, name: "hosting", due: CalendarDate(year: 2026, month: 12, day: 11), standing: .dueSoon))
        #expect(item(.contract, "payments")?.standing == .overdue && item(.contract, "mailer")?.standing == .notRecorded)
        #expect(items.count == 5, "\(items)")
    }
}
