import Foundation
import Testing

@testable import PledgeCore

/// The processing gate on the compliant example (C07, C08, C09, C10, C24, C34, C35).
@Suite("Processing gate")
struct ProcessingGateTests {
    @Test(
        "ECR-45 (C23; Art 28): Expert CRM's processors, companies and individual contractors alike, are one register entry under Art 28: nothing goes to them until a signed contract is recorded, which the console lists as missing; then the website's data can"
    )
    func expertCRMContractors() throws {
        let declaration = try Examples.declaration("expert-crm")
        let providers = try #require(declaration.recipients?.first { $0.id == "service-providers" })
        #expect(providers.kind == .processor && providers.name.contains("companies and individuals"))
        #expect(
            ReviewDates.attention(declaration, on: Examples.today).contains {
                $0.kind == .contract && $0.name == "service-providers" && $0.standing == .notRecorded
            })
        let visitor = SubjectState(categories: ["visitor"])
        let request = DecisionRequest(purpose: "website", categories: ["user.device.ip_address"], recipient: "service-providers")
        var declared = declaration
        let index = try #require(declared.recipients?.firstIndex { $0.id == "service-providers" })
        declared.recipients?[index].purposes = ["website"]
        #expect(ProcessingGate(declared).decide(request, for: visitor, at: Date()).reasons == [.processorContractNotInForce("service-providers")])
        declared.recipients?[index].contract?.signed = CalendarDate(year: 2026, month: 1, day: 5)
        #expect(ProcessingGate(declared).decide(request, for: visitor, at: Date()).isAllowed, "a freelancer under a signed contract, like a firm")
    }

    let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    let subject = UUID()

    func gate(_ change: (inout Declaration) -> Void = { _ in }) throws -> ProcessingGate {
        var declaration = try Examples.declaration("compliant")
        change(&declaration)
        return ProcessingGate(declaration)
    }

    func consent(_ action: ConsentAction, _ purpose: String, recipient: String? = nil, at offset: TimeInterval) -> ConsentEvent {
        ConsentEvent(
            holder: .subject(subject), scope: ConsentScope(purpose: purpose, recipient: recipient), action: action,
            mechanism: "opt_in_checkbox", noticeVersion: "2026-10", wordingHash: String(repeating: "a", count: 64),
            recordedAt: now.addingTimeInterval(offset))
    }

    func codes(_ decision: Decision) -> [String] { decision.reasons.map(\.code) }

    @Test("C07: a contract purpose with covered categories is allowed")
    func contractAllowed() throws {
        let decision = try gate().decide(
            DecisionRequest(purpose: "service", categories: ["user.name", "user.account.contact.email"]),
            for: SubjectState(categories: ["customer"]), at: now)
        #expect(decision.isAllowed)
    }

    @Test("C07/APX-24: an undeclared purpose and uncovered categories are denied with every reason")
    func unknownAndUncovered() throws {
        let gate = try gate()
        #expect(codes(gate.decide(DecisionRequest(purpose: "profiling"), for: SubjectState(), at: now)) == ["purpose.unknown"])
        let decision = gate.decide(
            DecisionRequest(purpose: "service", categories: ["user.name", "user.financial.bank_account"]),
            for: SubjectState(), at: now)
        #expect(decision.reasons == [.categoryNotCovered(["user.financial.bank_account"])])
    }

    @Test(
        "C07/CLQ-35/CLQ-02 (Art 6(1), Art 5(1)(b)): Classeq's marketing-improvement and usage-statistics purposes run only once registered with a basis: until then the linter says so and the gate refuses them"
    )
    func classeqPurposesNeedABasis() throws {
        var declaration = try Examples.declaration("classeq")
        let unregistered = ProcessingGate(declaration)
        let findings = Linter(today: Examples.today).lint(declaration).filter { $0.rule == "L21" }
        for purpose in ["personalisation", "statistics"] {
            #expect(codes(unregistered.decide(DecisionRequest(purpose: purpose), for: SubjectState(), at: now)) == ["basis.missing"], "\(purpose)")
            #expect(findings.contains { $0.message.contains(purpose) || $0.path.contains("purposes[\(purpose == "personalisation" ? 0 : 1)]") })
        }
        for index in declaration.purposes.indices where ["personalisation", "statistics"].contains(declaration.purposes[index].id) {
            declaration.purposes[index].basis = .consent
        }
        let registered = ProcessingGate(declaration)
        let consented = SubjectState(consents: ConsentState(events: [consent(.granted, "statistics", at: 0)]))
        #expect(!codes(registered.decide(DecisionRequest(purpose: "statistics"), for: consented, at: now)).contains("basis.missing"))
    }

    @Test(
        "C07/C41/OEX-27/OEX-28/OEX-33/ECR-21: the seeds' purposes carry their bases into the record of processing (Open ECX's services, payments and credit checks before a contract, Expert CRM's purchases, on contract), and a payment purpose reaches payment data only"
    )
    func seedPurposesAndBases() throws {
        for (name, id) in [("open-ecx", "services"), ("open-ecx", "payments"), ("open-ecx", "credit-checks"), ("expert-crm", "purchases")] {
            let declaration = try Examples.declaration(name)
            let purpose = try #require(declaration.purposes.first { $0.id == id })
            #expect(purpose.basis == .contract, "\(name) \(id)")
            let row = try #require(RecordOfProcessing(declaration: declaration).rows.first { $0[2] == purpose.name })
            #expect(row[3] == "contract (Art 6(1)(b))", "\(name) \(id)")
            #expect(row[5] == CategoryNames.names(of: purpose.categories, in: declaration).joined(separator: "; "))
        }
        let gate = ProcessingGate(try Examples.declaration("open-ecx"))
        let customer = SubjectState(categories: ["customer"])
        #expect(gate.decide(DecisionRequest(purpose: "payments", categories: ["user.financial.account_number"]), for: customer, at: now).isAllowed)
        #expect(
            gate.decide(DecisionRequest(purpose: "payments", categories: ["user.contact.email"]), for: customer, at: now).reasons == [
                .categoryNotCovered(["user.contact.email"])
            ])
    }

    @Test("C08/OEX-25 (Art 6(1)(f)): an assessment marked approved without its necessity or balancing test recorded approves nothing")
    func assessmentWithoutItsTest() throws {
        for blank: WritableKeyPath<LegitimateInterestAssessment, String?> in [\.necessity, \.balancing] {
            let gate = try gate { $0.legitimateInterests![0][keyPath: blank] = " " }
            #expect(codes(gate.decide(DecisionRequest(purpose: "enquiries"), for: SubjectState(), at: now)) == ["lia.incomplete"])
            // The linter says so first (L21), at the assessment.
            var declaration = try Examples.declaration("compliant")
            declaration.legitimateInterests![0][keyPath: blank] = nil
            let finding = Linter(today: Examples.today).lint(declaration).first { $0.rule == "L21" }
            #expect(finding?.path == "legitimate_interests[0]" && finding?.message.contains("necessity and balancing") == true)
        }
        #expect(try gate().decide(DecisionRequest(purpose: "enquiries"), for: SubjectState(categories: ["enquirer"]), at: now).isAllowed)
    }

    @Test(
        "C08/OEX-17/OEX-31/OEX-38: Open ECX's legitimate-interests purposes (staff training, fraud and debt collection, website usage analysis) name no assessment, so none runs until one is approved"
    )
    func openECXInterestsNeedAssessments() throws {
        var declaration = try Examples.declaration("open-ecx")
        let customer = SubjectState(categories: ["customer"])
        for purpose in ["training", "fraud", "website-usage"] {
            #expect(
                codes(ProcessingGate(declaration).decide(DecisionRequest(purpose: purpose), for: customer, at: now)) == ["lia.missing"], "\(purpose)")
        }
        // With an approved assessment recorded for it, staff training runs.
        var assessment = try #require(try Examples.declaration("compliant").legitimateInterests?.first)
        assessment.id = "training-lia"
        assessment.outcome = .approved
        declaration.legitimateInterests = [assessment]
        declaration.purposes[try #require(declaration.purposes.firstIndex { $0.id == "training" })].lia = "training-lia"
        #expect(ProcessingGate(declaration).decide(DecisionRequest(purpose: "training"), for: customer, at: now).isAllowed)
    }

    @Test("C07/OEX-39/ECR-18: a purpose with no lawful basis is never allowed")
    func noBasis() throws {
        let gate = try gate { $0.purposes[0].basis = nil }
        #expect(codes(gate.decide(DecisionRequest(purpose: "service"), for: SubjectState(), at: now)) == ["basis.missing"])
    }

    @Test(
        "C08/APX-29/OEX-01/OEX-19/OEX-26: legitimate interests need an approved assessment; overridden and pending block",
        arguments: [
            (LIAOutcome.overridden, "lia.overridden"), (.pending, "lia.pending"),
        ])
    func assessment(outcome: LIAOutcome, code: String) throws {
        let gate = try gate { $0.legitimateInterests![0].outcome = outcome }
        #expect(codes(gate.decide(DecisionRequest(purpose: "enquiries"), for: SubjectState(), at: now)) == [code])
        let missing = try self.gate { $0.purposes[2].lia = nil }
        #expect(codes(missing.decide(DecisionRequest(purpose: "enquiries"), for: SubjectState(), at: now)) == ["lia.missing"])
    }

    @Test("C10/OEX-29: consent purposes need consent; withdrawal takes effect for the very next decision")
    func consentLifecycle() throws {
        let gate = try gate()
        let request = DecisionRequest(purpose: "newsletter", categories: ["user.contact.email"])
        var state = SubjectState()
        #expect(codes(gate.decide(request, for: state, at: now)) == ["consent.absent"])
        state.consents.apply(consent(.granted, "newsletter", at: 0))
        #expect(gate.decide(request, for: state, at: now).isAllowed)
        state.consents.apply(consent(.withdrawn, "newsletter", at: 1))
        #expect(gate.decide(request, for: state, at: now).reasons == [.consentWithdrawn(at: now.addingTimeInterval(1))])
    }

    @Test("C34/OEX-22: an objection to direct marketing is absolute; to legitimate interests it yields to compelling grounds")
    func objections() throws {
        let gate = try gate()
        var state = SubjectState(consents: ConsentState(events: [consent(.granted, "newsletter", at: 0)]))
        state.marketingObjection = now
        #expect(codes(gate.decide(DecisionRequest(purpose: "newsletter"), for: state, at: now)) == ["subject.objected"])
        state.objections["enquiries"] = Objection(at: now)
        #expect(codes(gate.decide(DecisionRequest(purpose: "enquiries"), for: state, at: now)) == ["subject.objected"])
        state.objections["enquiries"] = Objection(at: now, compellingGrounds: "Fraud investigation")
        #expect(gate.decide(DecisionRequest(purpose: "enquiries"), for: state, at: now).isAllowed)
        state.objections["service"] = Objection(at: now)  // Art 21 does not reach contract processing.
        #expect(gate.decide(DecisionRequest(purpose: "service"), for: state, at: now).isAllowed)
    }

    @Test("Art 18: restriction and legal hold stop everyday processing but not legal obligations; a child is always denied")
    func flags() throws {
        let gate = try gate()
        for state in [SubjectState(restricted: true), SubjectState(legalHold: true)] {
            #expect(!gate.decide(DecisionRequest(purpose: "service"), for: state, at: now).isAllowed)
            #expect(gate.decide(DecisionRequest(purpose: "billing"), for: state, at: now).isAllowed)
        }
        #expect(codes(gate.decide(DecisionRequest(purpose: "billing"), for: SubjectState(isChild: true), at: now)) == ["subject.child"])
    }

    @Test("C04/APX-02: a subject outside the purpose's subject categories is denied")
    func subjectCategory() throws {
        let decision = try gate().decide(DecisionRequest(purpose: "billing"), for: SubjectState(categories: ["visitor"]), at: now)
        #expect(codes(decision) == ["subject.category-not-covered"])
    }

    @Test("C09/APX-14: special category data needs an Art 9 condition, and explicit consent when that is the condition")
    func specialCategory() throws {
        let request = DecisionRequest(purpose: "service", categories: ["user.health_and_medical"])
        let without = try gate { $0.purposes[0].categories.append("user.health_and_medical") }
        #expect(codes(without.decide(request, for: SubjectState(), at: now)) == ["category.special-without-condition"])
        let explicit = try gate {
            $0.purposes[0].categories.append("user.health_and_medical")
            $0.purposes[0].specialCondition = .explicitConsent
        }
        #expect(codes(explicit.decide(request, for: SubjectState(), at: now)) == ["consent.explicit-absent"])
        let consented = SubjectState(consents: ConsentState(events: [consent(.granted, "service", at: 0)]))
        #expect(explicit.decide(request, for: consented, at: now).isAllowed)
    }

    @Test(
        "C22/C24/C27/APX-33: recipients must be declared for the purpose and get only their declared categories, named in consent when required, safeguarded and under contract"
    )
    func recipients() throws {
        let gate = try gate()
        let customer = SubjectState(categories: ["customer"])
        #expect(gate.decide(DecisionRequest(purpose: "service", categories: ["user.name"], recipient: "hosting"), for: customer, at: now).isAllowed)
        #expect(codes(gate.decide(DecisionRequest(purpose: "service", recipient: "nobody"), for: customer, at: now)) == ["recipient.unknown"])
        #expect(codes(gate.decide(DecisionRequest(purpose: "service", recipient: "mailer"), for: customer, at: now)) == ["recipient.not-for-purpose"])
        #expect(
            codes(gate.decide(DecisionRequest(purpose: "service", categories: ["user.workplace"], recipient: "hosting"), for: customer, at: now))
                == ["recipient.category-not-covered"])

        let expired = try self.gate { $0.recipients![0].contract?.expires = CalendarDate(year: 2026, month: 1, day: 1) }
        #expect(
            codes(expired.decide(DecisionRequest(purpose: "service", recipient: "hosting"), for: customer, at: now)) == [
                "processor.contract-not-in-force"
            ])

        let unsafe = try self.gate {
            $0.recipients![2].location = "IN"
            $0.recipients![2].transfer = nil
        }
        let consented = SubjectState(consents: ConsentState(events: [consent(.granted, "newsletter", at: 0)]))
        #expect(
            codes(unsafe.decide(DecisionRequest(purpose: "newsletter", recipient: "mailer"), for: consented, at: now)) == ["transfer.no-safeguard"])

        let partner = try self.gate { $0.recipients![2].requiresConsent = true }
        #expect(
            codes(partner.decide(DecisionRequest(purpose: "newsletter", recipient: "mailer"), for: consented, at: now)) == [
                "recipient.consent-absent"
            ])
        var named = consented
        named.consents.apply(consent(.granted, "newsletter", recipient: "mailer", at: 1))
        #expect(partner.decide(DecisionRequest(purpose: "newsletter", recipient: "mailer"), for: named, at: now).isAllowed)
        // Withdrawing the purpose withdraws the recipient's consent too.
        named.consents.apply(consent(.withdrawn, "newsletter", at: 2))
        #expect(
            codes(partner.decide(DecisionRequest(purpose: "newsletter", recipient: "mailer"), for: named, at: now))
                == ["consent.withdrawn", "recipient.consent-absent"])
    }

    @Test(
        "C07/C45/CLQ-03 (Art 5(1)(b)-(c)): Classeq's customisation, once registered on consent, reaches only the categories it declares: a name and email for a consenting member, never their browsing history or location"
    )
    func classeqCustomisationUsesItsCategories() throws {
        var declaration = try Examples.declaration("classeq")
        let index = try #require(declaration.purposes.firstIndex { $0.id == "personalisation" })
        declaration.purposes[index].basis = .consent
        let gate = ProcessingGate(declaration)
        let member = SubjectState(categories: ["member"], consents: ConsentState(events: [consent(.granted, "personalisation", at: 0)]))
        let declared = gate.decide(
            DecisionRequest(purpose: "personalisation", categories: ["user.name", "user.contact.email"]), for: member, at: now)
        #expect(declared.isAllowed)
        let beyond = gate.decide(
            DecisionRequest(purpose: "personalisation", categories: ["user.name", "user.browsing_history", "user.location"]), for: member, at: now)
        #expect(beyond.reasons == [.categoryNotCovered(["user.browsing_history", "user.location"])])
        let withdrawn = SubjectState(
            categories: ["member"],
            consents: ConsentState(events: [consent(.granted, "personalisation", at: 0), consent(.withdrawn, "personalisation", at: 1)]))
        #expect(
            codes(gate.decide(DecisionRequest(purpose: "personalisation", categories: ["user.name"]), for: withdrawn, at: now)) == [
                "consent.withdrawn"
            ])
    }

    @Test(
        "C09/APX-13/APX-14 (Art 9(2)): Apexure collects sensitive data only for the purpose that needs it: the linter flags its plain 'consent' condition, the gate refuses it without the person's consent, and no other purpose reaches it"
    )
    func apexureSensitiveData() throws {
        let declaration = try Examples.declaration("apexure")
        let index = try #require(declaration.purposes.firstIndex { $0.id == "sensitive" })
        let findings = Linter(today: Examples.today).lint(declaration).filter { $0.rule == "L28" }
        #expect(findings.contains { $0.path.hasPrefix("purposes[\(index)]") }, "\(findings.map(\.path))")
        let gate = ProcessingGate(declaration)
        let purchaser = SubjectState(categories: ["purchaser"])
        let request = DecisionRequest(purpose: "sensitive", categories: ["user.religious_belief"])
        #expect(!gate.decide(request, for: purchaser, at: now).isAllowed)
        let consented = SubjectState(categories: ["purchaser"], consents: ConsentState(events: [consent(.granted, "sensitive", at: 0)]))
        #expect(gate.decide(request, for: consented, at: now).isAllowed)
        let elsewhere = gate.decide(DecisionRequest(purpose: "marketing", categories: ["user.religious_belief"]), for: consented, at: now)
        #expect(elsewhere.reasons.contains(.categoryNotCovered(["user.religious_belief"])))
    }

    @Test(
        "C07/C41/ECR-22 (Art 6(3)): a legal-obligation purpose names the law that imposes it: Expert CRM's does not, so the linter asks and the record of processing says it is not declared; named, the record and the notice carry it"
    )
    func legalObligationNamesItsStatute() throws {
        var declaration = try Examples.declaration("expert-crm")
        let index = try #require(declaration.purposes.firstIndex { $0.id == "legal" })
        #expect(declaration.purposes[index].basis == .legalObligation)
        let findings = Linter(today: Examples.today).lint(declaration).filter { $0.rule == "L21" }
        #expect(findings.contains { $0.path == "purposes[\(index)].statute" && $0.severity == .warning })
        let name = declaration.purposes[index].name
        let unnamed = try #require(RecordOfProcessing(declaration: declaration).rows.first { $0[2] == name })
        #expect(unnamed[3] == "legal_obligation (Art 6(1)(c)); law: NOT DECLARED (L21)")
        declaration.purposes[index].statute = "  Companies Act 2006 s.386  "
        #expect(!Linter(today: Examples.today).lint(declaration).contains { $0.path == "purposes[\(index)].statute" })
        let named = try #require(RecordOfProcessing(declaration: declaration).rows.first { $0[2] == name })
        #expect(named[3] == "legal_obligation (Art 6(1)(c)); law: Companies Act 2006 s.386")
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose())
        #expect(notice.contains("a legal obligation (Art 6(1)(c)) under Companies Act 2006 s.386"))
        declaration.purposes[index].statute = " "
        #expect(Linter(today: Examples.today).lint(declaration).contains { $0.path == "purposes[\(index)].statute" })
    }
}
