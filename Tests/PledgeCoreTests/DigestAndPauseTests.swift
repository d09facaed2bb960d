import Foundation
import Testing

@testable import PledgeCore

/// Digest frequency and pausing marketing (issue 28 §5, §6; C15, C16): chosen by the person, in the
/// preference centre or the organisation's account settings.
@Suite("Digests and pauses")
struct DigestAndPauseTests {
    static func day(_ text: String, _ hour: Int = 9) throws -> Date {
        try #require(CalendarDate(text)).startOfDayUTC.addingTimeInterval(Double(hour) * 3600)
    }

    @Test("C16/CAM-23: a digest is due once a calendar day, week or month after the last, at once for someone who has had none, never for never")
    func frequencies() throws {
        let last = try Self.day("2026-01-31", 9)
        let cases: [(DigestFrequency, String, Int, Bool)] = [
            (.daily, "2026-01-31", 23, false), (.daily, "2026-02-01", 8, true),
            (.weekly, "2026-02-06", 9, false), (.weekly, "2026-02-07", 8, true),
            (.monthly, "2026-02-27", 9, false), (.monthly, "2026-02-28", 8, true),
            (.never, "2027-01-01", 9, false),
        ]
        for (frequency, today, hour, due) in cases {
            #expect(frequency.isDue(last: last, at: try Self.day(today, hour)) == due, "\(frequency) on \(today)")
        }
        #expect(DigestFrequency.weekly.isDue(last: nil, at: last) && !DigestFrequency.never.isDue(last: nil, at: last))
    }

    @Test("C18 (issue 28 §5): a pause of an offered length refuses marketing until it ends, and never stops a service message")
    func pause() throws {
        let now = try Self.day("2026-03-01")
        let until = try #require(MarketingPause.until(days: 30, from: now))
        #expect(CalendarDate(utc: until).description == "2026-04-01")
        #expect(MarketingPause.until(days: 7, from: now) == nil, "only the offered lengths")
        let rule = MarketingPermissionRule(try Examples.declaration("compliant"))
        let consents = ConsentState(events: [
            ConsentEvent(
                holder: .subject(UUID()), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "opt_in_checkbox",
                noticeVersion: "2026-10", wordingHash: "", recordedAt: now)
        ])
        let paused = MarketingContact(state: SubjectState(categories: ["customer"], consents: consents), pausedUntil: until)
        let newsletter = MarketingQuestion(purpose: "newsletter", medium: .email)
        #expect(rule.decide(newsletter, for: paused, at: now) == .refused(.paused(until: until)))
        #expect(rule.decide(newsletter, for: paused, at: until) == .allowed(.consent), "over on the day it ends")
        #expect(rule.decide(MarketingQuestion(purpose: "digests", medium: .email), for: paused, at: now) == .allowed(.service))
        #expect(MarketingRefusal.rule(forCode: "paused") != nil)
    }

    @Test(
        "C18/CAM-23 (issue 28 §5): the sheet offers the digest frequency (declared default until chosen) and a pause; the form records only changes")
    func preferenceSheet() throws {
        let declaration = try Examples.declaration("compliant")
        let now = try Self.day("2026-03-01")
        let customer = SubjectState(categories: ["customer"])
        let sheet = PreferenceSheet(declaration: declaration, state: customer, at: now)
        #expect(sheet.digestFrequency == .weekly && sheet.pausedUntil == nil)
        let changes = sheet.changes(consented: [], objectingTo: [], stopMarketing: false, digest: .daily, pause: .days(30), at: now)
        let month = try #require(MarketingPause.until(days: 30, from: now))
        #expect(changes.digestFrequency == .daily && changes.pause == .until(month))
        let recorded = changes.recorded(for: UUID(), mechanism: "preference_link", reference: "r", noticeVersion: "v", at: now).changes
        #expect(
            recorded.contains(.digestFrequency(.daily))
                && recorded.contains { if case .marketingPause(let until) = $0 { until != nil } else { false } })
        #expect(
            sheet.changes(consented: [], objectingTo: [], stopMarketing: false, digest: .weekly, at: now).isEmpty, "the same frequency is no change")

        let chosen = PreferenceSheet(
            declaration: declaration, state: customer,
            choices: MarketingChoices(digestFrequency: .never, pausedUntil: now.addingTimeInterval(86_400)),
            at: now)
        #expect(chosen.digestFrequency == .never && chosen.pausedUntil != nil)
        #expect(chosen.changes(consented: [], objectingTo: [], stopMarketing: false, pause: .resume, at: now).pause == .resume)
        #expect(chosen.changes(consented: [], objectingTo: [], stopMarketing: false, pause: .days(30), at: now).pause == nil, "already paused")
        // An enquirer has no digest purpose: nothing to choose, nothing recorded.
        let enquirer = PreferenceSheet(declaration: declaration, state: SubjectState(categories: ["enquirer"]), at: now)
        #expect(enquirer.digestFrequency == nil)
        #expect(enquirer.changes(consented: [], objectingTo: [], stopMarketing: false, digest: .daily, at: now).digestFrequency == nil)
    }
}
