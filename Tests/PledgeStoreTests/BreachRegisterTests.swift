import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The breach register in the store (C39; UK GDPR Art 33(5)): every change one audited unit, the rules Core's.
extension StoreTests {
    @Suite("Breach register")
    struct BreachRegisterTests {
        @Test(
            "APX-49/APX-50 (Arts 33, 34): a breach is recorded with its facts, its scope counted from the vault, assessed, notified to the ICO late only with its reason, and every change audited",
            arguments: StoreBackend.all)
        func register(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                for (email, phone) in [("ada@example.com", true), ("bob@example.com", false)] {
                    let id = try await fixture.newSubject(email: email)
                    var fields = ["user.contact.email": email]
                    if phone { fields["user.contact.phone_number"] = "+447700900123" }
                    try await vault.collect(VaultFixture.plan(fields), for: id, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                }
                let register = BreachRegister(vault: vault)
                let aware = VaultFixture.now.addingTimeInterval(3600)
                let breach = try Breach.recorded(
                    awareAt: aware, facts: "The support mailbox was opened by someone outside", categories: ["user.contact"],
                    reportedBy: "processor:mailer", at: aware.addingTimeInterval(600), measures: "Password changed, sessions ended")
                try await register.record(breach, actor: "processor:mailer")
                #expect(try await register.scope(categories: ["user.contact"], until: aware) == 2)
                #expect(try await register.scope(categories: ["user.contact.phone_number"], until: aware) == 1)
                #expect(
                    try await register.scope(categories: ["user.contact"], until: VaultFixture.now.addingTimeInterval(-1)) == 0, "nothing held then")
                #expect(try await register.scope(categories: ["user.con"], until: aware) == 0, "a prefix of a word is not a category within")

                let assessed = try await register.change(breach.id, action: "breach.assess", detail: "high", actor: "key:dpo", at: aware) {
                    try $0.assessed(.high, reasoning: "Contact details of customers, phishing likely")
                }
                #expect(assessed.individualsToBeTold)
                let late = aware.addingTimeInterval(Breach.notificationWindow + 3600)
                await #expect(throws: BreachRefusal.latenessReasonMissing) {
                    try await register.change(breach.id, action: "breach.notify-ico", detail: nil, actor: "key:dpo", at: late) {
                        try $0.notifiedToICO(at: late, reference: nil, latenessReason: nil, checkedAt: late)
                    }
                }
                #expect(try await register.find(breach.id)?.icoNotifiedAt == nil, "nothing stored")
                try await register.change(breach.id, action: "breach.notify-ico", detail: "ICO-7", actor: "key:dpo", at: late) {
                    try $0.notifiedToICO(at: late, reference: "ICO-7", latenessReason: "The processor told us on day 3", checkedAt: late)
                }
                let stored = try #require(try await register.find(breach.id))
                #expect(stored.standing(at: late) == .notified(at: late, late: true) && stored.latenessReason == "The processor told us on day 3")
                #expect(stored.risk == .high && stored.measures == "Password changed, sessions ended" && stored.reportedBy == "processor:mailer")
                #expect(try await register.all().map(\.id) == [breach.id])
                await #expect(throws: BreachRefusal.notFound) {
                    try await register.change(UUID(), action: "breach.assess", detail: nil, actor: "key:dpo", at: late) { $0 }
                }
                let actions = try await AuditTrail(database: fixture.database).entries(about: "breach:\(breach.id.storedText)").map(\.record.action)
                #expect(actions == ["breach.record", "breach.assess", "breach.notify-ico"])
            }
        }
    }
}
