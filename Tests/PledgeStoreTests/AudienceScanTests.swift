import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The SQLite scan of a whole store's audience (FastPath/AudienceScan.swift) against the reads by name
/// it stands in for: the same recipients with the same grounds and the same exclusions with the same
/// rules, on a store where every rule has someone to decide.
extension StoreTests {
    @Suite("Audience scan")
    struct AudienceScanTests {
        static let declaration: Declaration = {
            var declaration = RequestStoreTests.declaration
            func channel(_ id: String, _ medium: MarketingMedium, _ basis: MarketingBasis) -> MarketingChannel {
                MarketingChannel(
                    id: id, channel: medium, basis: basis, permission: nil, audience: ["customer", "enquirer"], purposes: nil, products: nil,
                    partners: nil, sources: nil, optOut: [.unsubscribeLink], tracking: nil, trackingConsent: nil, trackingPurpose: nil,
                    tpsScreening: medium == .phone ? true : nil, subscribers: nil)
            }
            declaration.marketing = [
                channel("email", .email, .softOptIn), channel("sms", .sms, .consent), channel("calls", .phone, .legitimateInterests),
                channel("post", .post, .legitimateInterests),
            ]
            return declaration
        }()

        @Test(
            "C17/C18/OEX-36/OEX-58/APX-23 (PECR regs 21–23; Art 21(3)): the scan of a SQLite store decides every medium's audience exactly as the reads by name",
            arguments: StoreBackend.all)
        func scanMatchesReadsByName(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let now = VaultFixture.now
                var phones: [String] = []
                for index in 0..<48 {
                    var identifiers: [SubjectIdentifier] = []
                    if index % 5 != 0 { identifiers.append(try SubjectIdentifier(kind: .email, raw: "p\(index)@example.com")) }
                    if index % 3 == 0 {
                        phones.append("+4416329600\(10 + index)")
                        identifiers.append(try SubjectIdentifier(kind: .phone, raw: phones[phones.count - 1]))
                    }
                    if index % 4 == 0 { identifiers.append(try SubjectIdentifier(kind: .account, raw: "account-\(index)")) }
                    let categories = index % 11 == 0 ? ["supplier"] : index % 2 == 0 ? ["customer"] : ["customer", "enquirer"]
                    let id = try await vault.createSubject(
                        NewSubject(identifiers: identifiers, categories: categories, stage: index % 3 == 1 ? "client" : nil), actor: "key:test",
                        at: now)
                    let origins: [ContactOrigin?] = [nil, .sale, .boughtIn, .negotiation, .enquiry, .sale, .supporter]
                    if let origin = origins[index % origins.count] {
                        let provenance = ContactProvenance(
                            obtained: origin, source: index % 2 == 0 ? "signup" : nil, refusalOffered: index % 7 != 0,
                            subscriber: index % 6 == 0 ? .corporate : .individual)
                        try await vault.apply(.provenance(provenance), to: id, actor: "key:test", at: now)
                    }
                    if index % 2 == 0 { _ = try await vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now) }
                    if index % 6 == 0 {
                        _ = try await vault.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 60)], actor: "key:test", at: now)
                    }
                    if index % 7 == 0 {
                        let sms = ConsentEvent(
                            holder: .subject(id), scope: ConsentScope(purpose: "newsletter", channel: "sms"), action: .granted,
                            mechanism: "opt_in_checkbox",
                            noticeVersion: "2026-10", wordingHash: String(repeating: "b", count: 64), recordedAt: now)
                        _ = try await vault.record([sms], actor: "key:test", at: now)
                    }
                    if index % 8 == 0, let address = identifiers.first {
                        try await vault.suppress(address, reason: .unsubscribed, actor: "key:test", at: now)
                    }
                    if index == 13 { try await vault.apply(.marketingObjection, to: id, actor: "key:test", at: now) }
                    if index == 17 {
                        try await vault.apply(.objection(purpose: "newsletter", compellingGrounds: nil), to: id, actor: "key:test", at: now)
                    }
                    if index == 19 { try await vault.apply(.restriction(true), to: id, actor: "key:test", at: now) }
                    if index == 23 {
                        try await vault.apply(.marketingPause(until: now.addingTimeInterval(86_400)), to: id, actor: "key:test", at: now)
                    }
                    if index == 29 {
                        try await fixture.database.sql.raw("UPDATE subjects SET is_child = \(bind: true) WHERE id = \(bind: id.storedText)").run()
                    }
                }
                _ = try await vault.importCallBarring(.tps, numbers: [phones[1], phones[4]], actor: "cli:test", at: now)

                #expect((fixture.database.scanner != nil) == (backend.name == "SQLite"), "a SQLite file is scanned")
                let rule = MarketingPermissionRule(Self.declaration)
                let audience = MarketingAudience(vault: vault)
                var refusals: Set<String> = []
                for medium in MarketingMedium.allCases {
                    for selection in [
                        MarketingAudience.Selection(), .init(categories: ["customer"], stages: ["client"]), .init(destination: .inbox),
                    ] {
                        let question = MarketingQuestion(purpose: "newsletter", medium: medium)
                        let read = try await audience.resolve(question, selection: selection, rule: rule, at: now, scanning: false)
                        // PostgreSQL has no scan: there only the reads by name run, and the rules they cover are checked below.
                        if fixture.database.scanner != nil {
                            let scanned = try await audience.resolve(question, selection: selection, rule: rule, at: now, scanning: true)
                            #expect(scanned == read, "\(medium) \(selection)")
                        }
                        refusals.formUnion(read.excluded.map(\.refusal.code))
                    }
                }
                // Every rule had someone to decide, so the comparison covered each.
                #expect(
                    refusals.isSuperset(of: [
                        "suppressed", "no_address", "objected", "paused", "restricted", "child", "consent_withdrawn", "no_consent",
                        "bought_in_list", "call_barred", "no_inbox", "soft_opt_in_not_applicable", "provenance_unknown",
                    ]), "\(refusals.sorted())")
            }
        }

        @Test(
            "issue 25 §7: a subject row whose id is not a UUID is an error naming the row, by the scan as by the reads by name",
            arguments: StoreBackend.all)
        func corruptRowNamed(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                try await fixture.database.sql.raw("UPDATE subjects SET id = 'not-a-subject-id' WHERE id = \(bind: id.storedText)").run()
                let audience = MarketingAudience(vault: fixture.vault)
                let question = MarketingQuestion(purpose: "newsletter", medium: .email)
                let rule = MarketingPermissionRule(Self.declaration)
                for scanning in [true, false] {
                    await #expect(throws: CorruptRow(table: "subjects", row: "not-a-subject-id", column: "id")) {
                        _ = try await audience.resolve(question, selection: .init(), rule: rule, at: VaultFixture.now, scanning: scanning)
                    }
                }
            }
        }
    }
}
