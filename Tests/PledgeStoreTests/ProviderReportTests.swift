import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Reports a provider sends about people (CAM-16; C12, C22): one about a person is that person's data.
extension StoreTests {
    @Suite("Provider reports")
    struct ProviderReportTests {
        @Test(
            "CAM-16 (C12; Art 14): an analytics provider's report about one person is taken in as their personal data, with its source, an Art 14 task and a place in their access records; never while its purpose has no lawful basis",
            arguments: StoreBackend.all)
        func individualReport(_ backend: StoreBackend) async throws {
            let asWritten = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("cambridge-cert")).declaration)
            var withBasis = asWritten
            let analytics = try #require(withBasis.purposes.firstIndex { $0.id == "analytics" })
            withBasis.purposes[analytics].basis = .consent
            let declared = withBasis
            let day = CalendarDate(utc: VaultFixture.now)
            let report = CollectionSubmission(
                route: .direct(purpose: "analytics", source: "provider-reports"),
                fields: ["user.browsing_history": "/registry 14 visits; /courses 3 visits"])
            try await VaultFixture.with(backend) { fixture in
                let member = try await fixture.newSubject(email: "member@example.com", categories: ["member"])
                // As Cambridge wrote it, analytics has no lawful basis: the report is not taken in.
                let plan = try CollectionPolicy(asWritten).plan(report, on: day).get()
                #expect(plan.art14DueBy == day.adding(months: 1), "obtained from the provider, not from the person")
                await #expect(throws: GateRefusal.self) {
                    try await fixture.vault.collect(
                        plan, for: member, gate: ProcessingGate(asWritten), noticeVersion: nil, actor: "key:support", at: VaultFixture.now)
                }
                #expect(try await fixture.vault.art14Tasks().isEmpty, "nothing stored")
                // With consent as its basis, and the member's consent on record, it is theirs like anything else.
                _ = try await fixture.vault.record(
                    [VaultFixture.consent(.granted, .subject(member), purpose: "analytics")], actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.collect(
                    try CollectionPolicy(declared).plan(report, on: day).get(), for: member, gate: ProcessingGate(declared), noticeVersion: nil,
                    actor: "key:support", at: VaultFixture.now)
                let records = try #require(try await fixture.vault.records(of: member, purpose: "access", actor: "key:dpo", at: VaultFixture.now))
                #expect(records.values.map(\.source) == ["provider-reports"] && records.values.first?.value.hasPrefix("/registry") == true)
                #expect(try await fixture.vault.art14Tasks().map(\.source) == ["provider-reports"])
            }
        }
    }
}
