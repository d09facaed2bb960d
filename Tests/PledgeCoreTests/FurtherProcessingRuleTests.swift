import Testing

@testable import PledgeCore

/// Compatible further processing (UK GDPR Art 8A and Annex 2, DUAA 2025 s.71) and reasonable and
/// proportionate searches (Art 15(1A)): declarable, rendered, and flagged where a declaration shows a breach (issue 26 §4).
@Suite("Further processing and searches")
struct FurtherProcessingRuleTests {
    static func statisticsReusing(_ further: FurtherProcessing) -> (inout Declaration) -> Void {
        { d in d.purposes[d.purposes.firstIndex { $0.id == "statistics" }!].furtherProcessing = further }
    }

    @Test("L21/C44 (Art 8A(2)-(3)): a recorded assessment or an Annex 2 condition makes it compatible, and the notice says so")
    func compatible() throws {
        let assessed = FurtherProcessing(
            of: "service", ground: .assessment, assessment: "Aggregate counts of account use; same context; no effect on anyone.")
        #expect(try Examples.findings("L21", after: Self.statisticsReusing(assessed)).isEmpty)
        var declaration = try Examples.declaration("compliant")
        Self.statisticsReusing(assessed)(&declaration)
        let text = NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose())
        #expect(
            text.contains(
                "It uses data we collected to provide our analytics service, which is compatible because we assessed it as compatible (Art 8A(2))"))
        let annex = FurtherProcessing(of: "service", ground: .annex2, annex2Condition: .crime)
        #expect(try Examples.findings("L21", after: Self.statisticsReusing(annex)).isEmpty)
    }

    @Test("L21 (Art 8A): an assessment not recorded, an Annex 2 condition not named, or an unknown original purpose is flagged")
    func incomplete() throws {
        #expect(!(try Examples.findings("L21", after: Self.statisticsReusing(FurtherProcessing(of: "service", ground: .assessment)))).isEmpty)
        #expect(!(try Examples.findings("L21", after: Self.statisticsReusing(FurtherProcessing(of: "service", ground: .annex2)))).isEmpty)
        #expect(!(try Examples.findings("L21", after: Self.statisticsReusing(FurtherProcessing(of: "raffle", ground: .consent)))).isEmpty)
    }

    @Test("L21: a further-processing finding does not hide the purpose's own basis finding (an LI purpose without its assessment)")
    func findingsAdd() throws {
        let findings = try Examples.findings("L21") { d in
            let index = d.purposes.firstIndex { $0.id == "statistics" }!
            d.purposes[index].lia = nil
            d.purposes[index].furtherProcessing = FurtherProcessing(of: "service", ground: .assessment)
        }
        #expect(findings.contains { $0.path.hasSuffix("further_processing.assessment") })
        #expect(findings.contains { $0.path.hasSuffix(".lia") })
    }

    @Test("L21 (Art 8A(4)): data collected on consent is reused only with consent to the new purpose or under Annex 2")
    func consentedData() throws {
        let assessed = FurtherProcessing(of: "newsletter", ground: .assessment, assessment: "Open rates feed our statistics.")
        #expect(try Examples.findings("L21", after: Self.statisticsReusing(assessed)).contains { $0.message.contains("Art 8A(4)") })
        #expect(try Examples.findings("L21", after: Self.statisticsReusing(FurtherProcessing(of: "newsletter", ground: .consent))).isEmpty)
    }

    @Test("C30 (Art 15(1A)): the declared search scope is in the notice as a reasonable and proportionate search")
    func searchScope() throws {
        var declaration = try Examples.declaration("compliant")
        declaration.rights.searchScope =
            "our account database, our helpdesk and our mailing tool; backups only where the live systems do not hold the data"
        let text = NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose())
        #expect(text.contains("reasonable and proportionate searches (UK GDPR Art 15(1A)): our account database"))
    }
}

/// Fees the law allows (issue 26 §11): a reasonable fee for further copies (Art 15(3)) or for
/// manifestly unfounded or excessive requests (Art 12(5)) is not flagged; a fee for every request is.
@Suite("Request fees")
struct RequestFeeRuleTests {
    @Test(
        "L10/APX-39 (Art 12(5), 15(3)): a reasonable fee for the lawful cases only is silent and told in the notice; a fee for every request is an error"
    )
    func lawfulFees() throws {
        #expect(
            try Examples.findings("L10") { d in
                d.rights.fee = .reasonableCost
                d.rights.feeAppliesTo = [.furtherCopies, .manifestlyUnfoundedOrExcessive]
            }.isEmpty)
        #expect(!(try Examples.findings("L10") { $0.rights.fee = .reasonableCost }).isEmpty)
        #expect(
            !(try Examples.findings("L10") { d in
                d.rights.fee = .fixed
                d.rights.feeAppliesTo = [.furtherCopies]
            }).isEmpty, "a fixed fee is not a reasonable one based on cost")
        var declaration = try Examples.declaration("compliant")
        declaration.rights.fee = .reasonableCost
        declaration.rights.feeAppliesTo = [.furtherCopies]
        #expect(
            NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose()).contains(
                "or you ask for further copies of your data (Art 15(3))"))
    }
}

/// Declaration gaps found on real policies (issue 26 §11).
@Suite("Declaration gaps")
struct DeclarationGapTests {
    @Test("L05/CAM-14 (PECR reg 6(2)(a)): technologies described in a separate cookie policy raise no L05, and the notice links to it")
    func separateCookiePolicy() throws {
        #expect(!(try Examples.findings("L05") { $0.technologies = nil }).isEmpty)
        #expect(
            try Examples.findings("L05") { d in
                d.technologies = nil
                d.notice.cookiePolicyUrl = "https://northwind.example/cookies"
            }.isEmpty)
        var declaration = try Examples.declaration("compliant")
        declaration.technologies = nil
        declaration.notice.cookiePolicyUrl = "https://northwind.example/cookies"
        #expect(NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose()).contains("https://northwind.example/cookies"))
    }

    @Test("C40 (DPA 2018 s.164A(2)): the notice names the complaint form declared, or the privacy centre's")
    func complaintForm() throws {
        var declaration = try Examples.declaration("compliant")
        #expect(NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose()).contains("the complaint form in our privacy centre"))
        declaration.rights.complaints?.formUrl = "https://northwind.example/complaints"
        #expect(
            NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose()).contains(
                "our online complaint form (https://northwind.example/complaints)"))
    }
}
