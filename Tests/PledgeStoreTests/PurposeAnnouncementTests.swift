import Foundation
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeStore

/// Telling people of a new purpose before it starts (issue 29 §5; C44; UK GDPR Art 13(3), Art 21(4)).
extension StoreTests {
    @Suite("Purpose announcements")
    struct PurposeAnnouncementTests {
        /// The compliant declaration with `enquiries` renamed `callbacks`: a new legitimate-interests
        /// purpose for enquirers, and `newsletter` renamed `offers`: a new consent purpose.
        static func declaration() throws -> Declaration {
            let yaml = try ExampleFiles.yaml("compliant")
                .replacingOccurrences(
                    of: "  - id: enquiries\n    name: Answer your enquiries\n",
                    with: "  - id: callbacks\n    name: Call you back about your enquiry\n"
                )
                .replacingOccurrences(of: "  - id: newsletter\n", with: "  - id: offers\n")
            return try #require(DeclarationLoader.load(yaml: yaml).declaration)
        }

        @Test(
            "CLQ-59/C44 (Art 13(3), Art 21(4)): a new legitimate-interests purpose is announced before it starts to each person it concerns at their address, with the right to object set apart; a consent purpose is not mailed; once per version",
            arguments: StoreBackend.all)
        func announcedOnce(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let declaration = try Self.declaration()
                func person(_ email: String?, categories: [String]) async throws -> UUID {
                    let id = try await fixture.newSubject(categories: categories)
                    if let email {
                        _ = try await fixture.vault.collect(
                            VaultFixture.plan(["user.contact.email": email], purpose: "newsletter"), for: id, noticeVersion: "2026-10",
                            actor: "key:test",
                            at: VaultFixture.now)
                    }
                    return id
                }
                _ = try await person("eve@example.com", categories: ["enquirer"])
                _ = try await person(nil, categories: ["enquirer", "customer"])  // concerned, but no address
                _ = try await person("cus@example.com", categories: ["customer"])  // not concerned
                let announcements = PurposeAnnouncements(vault: fixture.vault)
                let starts = CalendarDate(year: 2027, month: 1, day: 1)
                let outcomes = try await announcements.announce(
                    ["callbacks": starts, "offers": starts], version: "2027-01", declaration: declaration,
                    noticeURL: "https://pledge.example/privacy/versions/2027-01", at: VaultFixture.now)
                #expect(outcomes == [.init(purpose: "callbacks", startsOn: starts, queued: 1, withoutAddress: 1)])
                #expect(try await announcements.announced("callbacks", version: "2027-01"))
                let offers = try await announcements.announced("offers", version: "2027-01")
                #expect(!offers, "a consent purpose starts with consent, not a letter")

                let register = CaseRegister(database: fixture.database, journal: fixture.journal, keys: fixture.keys)
                let letters = try await Outbox(register: register).due(at: VaultFixture.now.addingTimeInterval(1))
                #expect(letters.map(\.email.to) == ["eve@example.com"])
                let text = try #require(letters.first?.email.text)
                for part in [
                    "From 2027-01-01", "Call you back about your enquiry", "our legitimate interests (UK GDPR Art 6(1)(f))",
                    "https://pledge.example/privacy/versions/2027-01", "YOUR RIGHT TO OBJECT", "Data protection officer: Priya Shah",
                ] {
                    #expect(text.contains(part), "\(part)")
                }
                let again = try await announcements.announce(
                    ["callbacks": starts], version: "2027-01", declaration: declaration, noticeURL: "https://pledge.example/privacy",
                    at: VaultFixture.now)
                let nothingMore = try await Outbox(register: register).due(at: VaultFixture.now.addingTimeInterval(2))
                #expect(again.isEmpty && nothingMore.isEmpty)
            }
        }
    }
}
