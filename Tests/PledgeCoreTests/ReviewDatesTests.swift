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

    @Test(
        "C02/OEX-80/OEX-81 (Art 12(1), 13(3)): the notice in force is due for review a year after the date it states, overdue then and due soon in the 30 days before; the linter (L36) names it; a new version dated that day clears it"
    )
    func noticeReview() throws {
        var declaration = try Examples.declaration("compliant")
        let stated = try #require(declaration.notice.current?.statedDate)
        let yearOn = ReviewDates.adding(RetentionPeriod(years: 1), to: stated)
        #expect(!ReviewDates.attention(declaration, on: Self.day).contains { $0.kind == .notice })
        let late = ReviewDates.attention(declaration, on: CalendarDate(utc: yearOn.startOfDayUTC.addingTimeInterval(86_400)))
        #expect(late.contains(ReviewItem(kind: .notice, name: "2026-10", due: yearOn, standing: .overdue)), "\(late)")
        let findings = Linter(today: CalendarDate(utc: yearOn.startOfDayUTC.addingTimeInterval(86_400))).lint(declaration).filter { $0.rule == "L36" }
        #expect(findings.contains { $0.message.contains("privacy notice (version 2026-10) was due on \(yearOn)") })
        let soon = ReviewDates.attention(declaration, on: CalendarDate(utc: yearOn.startOfDayUTC.addingTimeInterval(-10 * 86_400)))
        #expect(soon.first { $0.kind == .notice }?.standing == .dueSoon)
        // A new version published on the review day starts the year again.
        declaration.notice.versions.append(
            NoticeVersion(version: "2027-10", published: yearOn, effective: yearOn, lastUpdated: nil, summary: "Reviewed."))
        #expect(!ReviewDates.attention(declaration, on: yearOn).contains { $0.kind == .notice })
    }
}
