import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// The privacy centre's preference sheet (issue 5 §9; C10, C17, C34): what a person is shown and what
/// their submission changes.
@Suite("Preference sheet")
struct PreferenceSheetTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func granted(_ purpose: String, holder: UUID = UUID()) -> ConsentEvent {
        ConsentEvent(
            holder: .subject(holder), scope: ConsentScope(purpose: purpose), action: .granted, mechanism: "opt_in_checkbox",
            noticeVersion: "2026-11", wordingHash: "h", recordedAt: now)
    }

    @Test(
        "C10/C34: a customer sees the consent-based newsletter, email tracking and testimonials, can object to the LI security purpose only, and has marketing to stop; enquirer-only purposes are not shown"
    )
    func contents() throws {
        let declaration = try Examples.declaration("compliant")
        let sheet = PreferenceSheet(
            declaration: declaration, state: SubjectState(categories: ["customer"], consents: ConsentState(events: [Self.granted("newsletter")])))
        #expect(sheet.consents.map(\.purpose) == ["newsletter", "email-tracking", "testimonials"])
        #expect(sheet.consents.first?.given == true && sheet.consents.first?.isDirectMarketing == true)
        #expect(sheet.consents.first?.wording == "I agree that you may use my data to: \(declaration.purposes.first { $0.id == "newsletter" }!.name)")
        // Contract and legal-obligation purposes carry no Art 21 right; `enquiries` concerns enquirers only.
        #expect(sheet.objectable.map(\.purpose) == ["security"])
        #expect(sheet.hasMarketing && sheet.marketingStoppedAt == nil)

        let unclassified = PreferenceSheet(declaration: declaration, state: SubjectState())
        #expect(unclassified.objectable.map(\.purpose) == ["enquiries", "statistics", "security"])
        #expect(unclassified.consents.first?.given == false)
    }

    @Test("Art 7(3): an unticked box withdraws, a ticked one grants with the wording shown; unknown ids are ignored; nothing changed is no change")
    func consentChanges() throws {
        let declaration = try Examples.declaration("compliant")
        let given = PreferenceSheet(
            declaration: declaration, state: SubjectState(categories: ["customer"], consents: ConsentState(events: [Self.granted("newsletter")])))
        #expect(
            given.changes(consented: [], objectingTo: [], stopMarketing: false)
                == PreferenceChanges(grant: [], withdraw: ["newsletter"], object: [], stopMarketing: false))
        #expect(given.changes(consented: ["newsletter", "made-up"], objectingTo: ["service", "made-up"], stopMarketing: false).isEmpty)

        let absent = PreferenceSheet(declaration: declaration, state: SubjectState(categories: ["customer"]))
        let changes = absent.changes(consented: ["newsletter"], objectingTo: [], stopMarketing: false)
        #expect(changes.grant.map(\.purpose) == ["newsletter"] && changes.withdraw.isEmpty)
        #expect(changes.grant.first?.wording == "I agree that you may use my data to: Send our newsletter")
    }

    @Test("Art 21: objections and the marketing stop are one way; consent to marketing is not recorded while marketing is stopped")
    func objections() throws {
        let declaration = try Examples.declaration("compliant")
        let open = PreferenceSheet(declaration: declaration, state: SubjectState(categories: ["customer"]))
        #expect(
            open.changes(consented: ["newsletter"], objectingTo: ["security"], stopMarketing: true)
                == PreferenceChanges(grant: [], withdraw: [], object: ["security"], stopMarketing: true))

        let stopped = PreferenceSheet(
            declaration: declaration,
            state: SubjectState(
                categories: ["customer"], objections: ["security": Objection(at: Self.now)],
                marketingObjection: Self.now))
        #expect(stopped.objectable.first?.objected == true && stopped.marketingStoppedAt == Self.now)
        #expect(stopped.changes(consented: ["newsletter"], objectingTo: ["security"], stopMarketing: true).isEmpty)
    }

    @Test(
        "C18/OEX-13/CLQ-24 (issue 28 §5; PECR reg 22): a newsletter sent by email and SMS on consent has a box per channel; unticking SMS withdraws SMS only, each change a ledger event with its wording's hash"
    )
    func perChannel() throws {
        var declaration = try Examples.declaration("compliant")
        var sms = try #require(declaration.marketing?.first)
        sms.id = "newsletter-sms"
        sms.channel = .sms
        sms.tracking = nil
        sms.trackingPurpose = nil
        sms.purposes = ["newsletter"]
        declaration.marketing?.append(sms)
        let person = UUID()
        let sheet = PreferenceSheet(
            declaration: declaration,
            state: SubjectState(categories: ["customer"], consents: ConsentState(events: [Self.granted("newsletter", holder: person)])))
        let newsletter = try #require(sheet.consents.first)
        #expect(newsletter.channels == [.init(medium: .email, given: true), .init(medium: .sms, given: true)], "a channel-less grant covers both")
        #expect(newsletter.wording(on: .sms) == "I agree that you may use my data to: Send our newsletter, by SMS")
        #expect(sheet.consents.dropFirst().allSatisfy { $0.channels.isEmpty }, "one box for a purpose with no marketing channels")

        let changes = sheet.changes(consented: ["newsletter"], objectingTo: [], stopMarketing: false, channels: ["newsletter.email"])
        #expect(changes.grant.isEmpty && changes.withdraw.isEmpty, "the purpose box is not read for a purpose with channel boxes")
        #expect(changes.channelWithdrawals.map(\.medium) == [.sms] && changes.channelGrants.isEmpty)
        let later = Self.now.addingTimeInterval(60)
        let (events, _) = changes.recorded(for: person, mechanism: "preference_link", reference: "campaign:x", noticeVersion: "2026-11", at: later)
        #expect(events.map(\.scope) == [ConsentScope(purpose: "newsletter", channel: "sms")] && events.map(\.action) == [.withdrawn])
        let after = ConsentState(events: [Self.granted("newsletter", holder: person)] + events)
        #expect(after.status(purpose: "newsletter", channel: "email").isGranted && !after.status(purpose: "newsletter", channel: "sms").isGranted)

        // Given again by SMS: a grant scoped to SMS with the hash of the SMS box's words.
        let withdrawn = PreferenceSheet(declaration: declaration, state: SubjectState(categories: ["customer"], consents: after))
        #expect(withdrawn.consents.first?.channels.map(\.given) == [true, false] && withdrawn.consents.first?.given == true)
        let again = withdrawn.changes(consented: [], objectingTo: [], stopMarketing: false, channels: ["newsletter.email", "newsletter.sms"])
        let (grants, _) = again.recorded(
            for: person, mechanism: "preference_link", reference: "campaign:x", noticeVersion: "2026-11", at: later.addingTimeInterval(60))
        #expect(grants.map(\.scope) == [ConsentScope(purpose: "newsletter", channel: "sms")])
        #expect(grants.first?.wordingHash == SHA256.hex("I agree that you may use my data to: Send our newsletter, by SMS"))
        #expect(
            withdrawn.changes(consented: [], objectingTo: [], stopMarketing: true, channels: ["newsletter.email", "newsletter.sms"]).channelGrants
                .isEmpty,
            "no consent to marketing while all of it stops")
    }
}
