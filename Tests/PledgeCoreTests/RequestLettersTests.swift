import Foundation
import Testing

@testable import PledgeCore

/// The privacy centre's letters (C28, C40), worded in Core (issue 25 §7: the handler calls one thing).
@Suite("Request letters")
struct RequestLettersTests {
    let day = CalendarDate(year: 2026, month: 12, day: 5)

    @Test("C29/C40: the confirmation link is in the letter with its lifetime; a complaint's letter is its acknowledgement (DPA 2018 s.164A(3)(a))")
    func verification() {
        let access = RequestLetters.verification(kind: .access, link: "https://p.example/verify?token=T", organisation: "Northwind", receivedOn: day)
        #expect(access.subject == "Northwind: confirm your privacy request")
        #expect(
            access.text.contains("https://p.example/verify?token=T") && access.text.contains("within 48 hours") && access.text.contains("2026-12-05"))
        #expect(!access.text.contains("complaint"))
        let complaint = RequestLetters.verification(kind: .complaint, link: "L", organisation: "Northwind", receivedOn: day)
        #expect(complaint.text.hasPrefix("We have received your complaint"))
    }

    @Test("C28/C30: after confirming, a completed access request points at the download; one still open gives the statutory due date")
    func confirmed() throws {
        var request = RequestCase(kind: .access, channel: .privacyCentre, receivedAt: Date(), verifiedBy: .emailLink)
        let open = RequestLetters.confirmed(request, link: "L", organisation: "Northwind", dueOn: CalendarDate(year: 2027, month: 1, day: 5))
        #expect(open.text.contains("We will answer by 2027-01-05") && open.subject == "Northwind: your privacy request")
        request = try request.applying(.complete(outcome: "Your copy is ready.", withheld: []), at: Date(), clock: StatutoryClockTests.london)
        let done = RequestLetters.confirmed(request, link: "L", organisation: "Northwind", dueOn: day)
        #expect(done.text.contains("is complete") && done.text.contains("Your copy is ready.") && done.text.contains("download your data"))
    }
}
