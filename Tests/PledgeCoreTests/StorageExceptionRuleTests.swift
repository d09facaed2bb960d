import Testing

@testable import PledgeCore

/// PECR reg 6 and Sch A1 as DUAA 2025 s.112 writes them (issue 26 §6): the emergency-assistance
/// exception, and the statistical exception for a third party acting solely for the site.
@Suite("Storage and access exceptions")
struct StorageExceptionRuleTests {
    /// compliant.yaml's visit counter made third-party analytics from `provider`, on the statistical exception.
    static func thirdPartyStatistics(provider: String?) throws -> [Finding] {
        try Examples.findings("L02") { d in
            let index = d.technologies!.firstIndex { $0.id == "statistics" }!
            d.technologies![index].party = .third
            d.technologies![index].provider = provider
        }
    }

    @Test(
        "L02/CAM-14/ECR-09/ECR-46/CLQ-11 (Sch A1): third-party analytics on the statistical exception is flagged unless its provider is a declared processor"
    )
    func statisticalException() throws {
        #expect(!(try Self.thirdPartyStatistics(provider: "Google Analytics")).isEmpty)
        #expect(!(try Self.thirdPartyStatistics(provider: nil)).isEmpty)
        #expect(try Self.thirdPartyStatistics(provider: "hosting").isEmpty, "a processor by id")
        #expect(try Self.thirdPartyStatistics(provider: "Cloud hosting provider").isEmpty, "a processor by name")
        #expect(!(try Self.thirdPartyStatistics(provider: "police")).isEmpty, "a recipient that is not a processor")
    }

    @Test("C11 (Sch A1): storage needed for emergency assistance runs without a choice, raises no consent finding and says why in the cookie table")
    func emergencyAssistance() throws {
        var d = try Examples.declaration("compliant")
        d.technologies!.append(
            StorageTechnology(
                id: "sos", name: "Emergency location", kind: .localStorage, party: .first, provider: nil, purpose: nil, category: .strictlyNecessary,
                expiry: "session", hosts: nil, consent: .emergencyAssistanceException, load: nil,
                description: "Shares your location when you ask for help."))
        #expect(TechnologyConsent.emergencyAssistanceException.runsWithoutChoice)
        #expect(!Linter(today: Examples.today).lint(d).contains { ["L01", "L02"].contains($0.rule) })
        #expect(NoticeWriter.markdown(NoticeComposer(declaration: d).compose()).contains("only when you ask us for emergency help"))
    }

    @Test("L03/CAM-14 (Art 13(1)(e)-(f)): a third-party technology's provider must be among the recipients, by id or name")
    func providerIsARecipient() throws {
        func video(provider: String) throws -> [Finding] {
            try Examples.findings("L03") { d in d.technologies![d.technologies!.firstIndex { $0.id == "video" }!].provider = provider }
        }
        #expect(try video(provider: "Vimeo").isEmpty, "declared by name")
        #expect(try video(provider: "vimeo").isEmpty, "declared by id")
        #expect(try video(provider: "YouTube").contains { $0.path.hasSuffix("provider") && $0.message.contains("not among the recipients") })
    }
}
