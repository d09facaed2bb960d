import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore

/// The disclosure workflow's rules (issue 29 §3; C22, C24, C25): nothing is logged without a verified
/// requester, a ground and its assessment; the register is the allow-list; four eyes decide.
@Suite("Disclosure rules")
struct DisclosureRuleTests {
    static let now = CalendarDate(year: 2026, month: 12, day: 1).startOfDayUTC
    static let declaration: Declaration = {
        DeclarationLoader.load(yaml: ExampleFiles.addingDisclosureRecipients(to: try! ExampleFiles.yaml("compliant"))).declaration!
    }()

    static func police(
        ground: DisclosureGround = .crime, recipient: String? = nil, requester: DisclosureRequester = .lawEnforcement, country: String? = nil,
        verification: String = "Called back the force control room on its published number", reference: String? = "Crime ref 44/2026",
        agreement: String? = nil, necessity: String = "Identifying a suspect in a fraud; without it the investigation would be prejudiced",
        categories: [String] = ["user.contact.email"]
    ) throws(DisclosureRefusal) -> Disclosure {
        try Disclosure.requested(
            requester: requester, requesterName: "Thames Valley Police", recipient: recipient, country: country, verification: verification,
            ground: ground, reference: reference, agreement: agreement, necessity: necessity, categories: categories, subjects: [UUID()],
            in: declaration, loggedBy: "key:support", at: now)
    }

    @Test(
        "C25/ECR-30/ECR-31/ECR-33/OEX-55/CLQ-49/CLQ-50/APX-35/APX-36: a disclosure needs a verified requester, a ground, its statute for a legal obligation, and a necessity and prejudice assessment; each ground cites its law"
    )
    func groundAndAssessment() throws {
        #expect(throws: DisclosureRefusal.verificationMissing) { try Self.police(verification: " ") }
        #expect(throws: DisclosureRefusal.necessityMissing) { try Self.police(necessity: "") }
        #expect(throws: DisclosureRefusal.referenceMissing) { try Self.police(ground: .legalObligation, reference: nil) }
        #expect(throws: DisclosureRefusal.categoriesMissing) { try Self.police(categories: []) }
        #expect(throws: DisclosureRefusal.categoryUnknown) { try Self.police(categories: ["user.made_up"]) }
        let logged = try Self.police()
        #expect(logged.state == .pending && logged.ground.citation == "DPA 2018 Sch 2 para 2(1)(a),(b)" && logged.ground.needsPrejudiceTest)
        #expect(DisclosureGround.legalClaims.citation == "DPA 2018 Sch 2 para 5", "ECR-32/ECR-34")
        #expect(DisclosureGround.vitalInterests.citation == "UK GDPR Art 6(1)(d)" && !DisclosureGround.vitalInterests.needsPrejudiceTest)
        #expect(try Self.police(ground: .legalObligation, reference: "Court order 2026/118").reference == "Court order 2026/118")
    }

    @Test(
        "C22/C25/OEX-50/OEX-54: Open ECX's register has its regulators (naming the FCA and the PRA) and credit reference agencies; each takes a logged disclosure of what it is registered for, and nothing else"
    )
    func openECXRegulatorsAndAgencies() throws {
        let declaration = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("open-ecx")).declaration)
        let regulators = try #require((declaration.recipients ?? []).first { $0.id == "regulators" })
        #expect(regulators.kind == .regulator && regulators.name.contains("FCA") && regulators.name.contains("PRA"))
        #expect((declaration.recipients ?? []).first { $0.id == "cra" }?.kind == .creditReferenceAgency)
        func request(
            _ requester: DisclosureRequester, _ recipient: String, _ ground: DisclosureGround, _ categories: [String]
        ) throws(DisclosureRefusal)
            -> Disclosure
        {
            try Disclosure.requested(
                requester: requester, requesterName: "Supervision team", recipient: recipient, country: nil,
                verification: "Request received through the regulator's secure portal", ground: ground,
                reference: "FSMA 2000 s.165 notice 2026/19", agreement: nil, necessity: "The notice names these customers' records",
                categories: categories, subjects: [UUID()], in: declaration, loggedBy: "key:support", at: Self.now)
        }
        let fca = try request(.regulator, "regulators", .legalObligation, ["user.name", "user.contact.street"])
        #expect(fca.state == .pending && fca.recipient == "regulators" && fca.ground.citation == "UK GDPR Art 6(1)(c)")
        let search = try request(.registered, "cra", .legitimateInterests, ["user.financial"])
        #expect(search.state == .pending && search.recipient == "cra")
        #expect(throws: DisclosureRefusal.categoryNotForRecipient) {
            try request(.registered, "cra", .legitimateInterests, ["user.contact.phone_number"])
        }
        #expect(throws: DisclosureRefusal.recipientUndeclared) { try request(.registered, "experian", .legitimateInterests, ["user.financial"]) }
    }

    @Test(
        "APX-17/APX-60/OEX-20 (C37, C22): a recipient declared to receive aggregate or de-identified data is never asked for direct identifiers or free text, nor sent them by an override; the gate refuses them to it too"
    )
    func deidentifiedRecipients() throws {
        func ask(_ recipient: String, _ categories: [String], identifiedBecause: String? = nil) throws(DisclosureRefusal) -> Disclosure {
            try Disclosure.requested(
                requester: .registered, requesterName: "Course Partners Ltd", recipient: recipient, country: nil,
                verification: "Partner agreement on file; request from its registered address", ground: .legitimateInterests, reference: nil,
                agreement: nil, necessity: "The yearly review of course quality", categories: categories, subjects: [UUID()],
                identifiedBecause: identifiedBecause, in: Self.declaration, loggedBy: "key:support", at: Self.now)
        }
        #expect(throws: DisclosureRefusal.identifiersNotForRecipient) { try ask("course-partners", ["user.name"]) }
        #expect(throws: DisclosureRefusal.identifiersNotForRecipient) { try ask("trainers", ["user.workplace", "user.account.contact.email"]) }
        #expect(throws: DisclosureRefusal.identifiersNotForRecipient) {
            try ask("course-partners", ["user.workplace"], identifiedBecause: "The partner asked for names")
        }
        let partners = try ask("course-partners", ["user.workplace"])
        #expect(partners.form == .deidentified && partners.pseudonymises)
        #expect(partners.carries(category: "user.workplace") && !partners.carries(category: "user.name"))
        #expect(!RecipientDataForm.deidentified.allows(category: "user.content.public"), "free text can name anyone")
        #expect(RecipientDataForm.identified.allows(category: "user.name"))
        #expect(try ask("trainers", ["user.workplace"]).form == .aggregate)
        #expect(try Self.police(recipient: "police").form == .identified, "an authority's disclosure is as asked")

        // Everyday flows: the gate gives such a recipient the rest and refuses what identifies people.
        let gate = ProcessingGate(Self.declaration)
        let customer = SubjectState(categories: ["customer"])
        let named = gate.decide(
            DecisionRequest(purpose: "service", categories: ["user.name", "user.workplace"], recipient: "course-partners"), for: customer,
            at: Self.now)
        #expect(named.reasons == [.recipientReceivesNoIdentifiers(.deidentified, ["user.name"])])
        #expect(named.reasons.map(\.code) == ["recipient.identifiers-refused"])
        #expect(
            gate.decide(DecisionRequest(purpose: "service", categories: ["user.workplace"], recipient: "trainers"), for: customer, at: Self.now)
                .isAllowed)

        // Aggregates (OEX-20: identifiers stripped, small cells suppressed): a count small enough to single someone out is withheld.
        let (counts, withheld) = RecipientDataForm.aggregate(["user.workplace": 7, "user.job_title": 2, "user.location": 5])
        #expect(counts == ["user.workplace": 7, "user.location": 5] && withheld == ["user.job_title"])
        // Apexure's training providers are declared to receive aggregates only (APX-17).
        let apexure = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("apexure")).declaration)
        #expect(apexure.recipients?.first { $0.id == "training-providers" }?.form == .aggregate)
        // The notice says so beside the recipient (Art 13(1)(e)).
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: apexure).compose())
        #expect(notice.contains("only as totals, never about you alone"))
        #expect(NoticeWriter.markdown(NoticeComposer(declaration: Self.declaration).compose()).contains("anything you wrote removed"))
    }

    @Test(
        "C22/OEX-56/CLQ-47/CLQ-48/CLQ-53: the register is the allow-list: a party outside it is refused unless an authority, a court or a rights holder; a recipient marked sale never; a registered one only its categories"
    )
    func allowList() throws {
        #expect(throws: DisclosureRefusal.recipientUndeclared) { try Self.police(requester: .registered) }
        #expect(throws: DisclosureRefusal.recipientUndeclared) { try Self.police(recipient: "nobody") }
        #expect(throws: DisclosureRefusal.recipientSale) { try Self.police(ground: .consent, recipient: "broker", requester: .registered) }
        #expect(throws: DisclosureRefusal.categoryNotForRecipient) {
            try Self.police(ground: .consent, recipient: "academy", requester: .registered, categories: ["user.contact.phone_number"])
        }
        #expect(throws: DisclosureRefusal.consentNeedsRecipient) { try Self.police(ground: .consent) }
        let registered = try Self.police(ground: .consent, recipient: "academy", requester: .registered, categories: ["user.name"])
        #expect(registered.recipient == "academy")
        #expect(try Self.police(recipient: "police").recipient == "police", "the declared police recipient")
        #expect(try Self.police(ground: .legalClaims, requester: .rightsHolder).requester == .rightsHolder, "a rights holder's claim")
        #expect(try Self.police(requester: .court).requester == .court)
    }

    @Test(
        "CLQ-54/ECR-28/C27 (Art 48): a foreign authority's request needs an international agreement; a registered recipient abroad its Chapter V mechanism, and on the IDTA its risk assessment"
    )
    func foreignRequests() throws {
        #expect(throws: DisclosureRefusal.transferUngrounded) { try Self.police(country: "us") }
        #expect(try Self.police(country: "US", agreement: "UK-US Mutual Legal Assistance Treaty").country == "US")
        // A registered recipient in India, on `transfer`: refused without a mechanism, and (ECR-28) on the
        // IDTA with no transfer risk assessment recorded.
        for transfer in [nil, TransferSafeguard(mechanism: .idta, riskAssessment: nil, note: nil, dpfCertified: nil)] {
            var declaration = Self.declaration
            declaration.recipients = declaration.recipients?.map { recipient in
                var recipient = recipient
                if recipient.id == "academy" { (recipient.location, recipient.transfer) = ("IN", transfer) }
                return recipient
            }
            #expect(throws: DisclosureRefusal.transferUngrounded) {
                try Disclosure.requested(
                    requester: .registered, requesterName: "Training Academy", recipient: "academy", country: "IN", verification: "Contract",
                    ground: .consent, reference: nil, agreement: nil, necessity: "Enrolment", categories: ["user.name"], subjects: [UUID()],
                    in: declaration, loggedBy: "key:support", at: Self.now)
            }
        }
    }

    @Test("CLQ-49/ECR-30 (four eyes): whoever logged a disclosure cannot decide it; it is decided once and released only once approved")
    func fourEyes() throws {
        let logged = try Self.police()
        #expect(throws: DisclosureRefusal.deciderIsLogger) { try logged.decided(approve: true, by: "key:support", note: nil, at: Self.now) }
        #expect(throws: DisclosureRefusal.notApproved) { try logged.released(at: Self.now) }
        let approved = try logged.decided(approve: true, by: "key:dpo", note: "Necessary and proportionate", at: Self.now)
        #expect(approved.state == .approved && approved.decidedBy == "key:dpo")
        #expect(throws: DisclosureRefusal.notPending) { try approved.decided(approve: false, by: "key:admin", note: nil, at: Self.now) }
        let released = try approved.released(at: Self.now)
        #expect(released.state == .released)
        #expect(throws: DisclosureRefusal.notApproved) { try released.released(at: Self.now) }
        let refused = try logged.decided(approve: false, by: "key:dpo", note: "No prejudice shown", at: Self.now)
        #expect(throws: DisclosureRefusal.notApproved) { try refused.released(at: Self.now) }
    }

    @Test(
        "C24/APX-30/OEX-49/ECR-34 (Art 5(1)(c)): a release carries only the categories asked for, and under consent only people who gave it to that recipient"
    )
    func minimisedAndConsented() throws {
        let asked = try Self.police(ground: .legalClaims, categories: ["user.contact"])
        #expect(
            asked.carries(category: "user.contact.email") && !asked.carries(category: "user.name") && !asked.carries(category: "user.contactless"))
        let enrolment = try Self.police(ground: .consent, recipient: "academy", requester: .registered, categories: ["user.name"])
        var consented = SubjectState()
        consented.consents.apply(
            ConsentEvent(
                holder: .subject(UUID()), scope: ConsentScope(purpose: "newsletter", recipient: "academy"), action: .granted,
                mechanism: "opt_in_checkbox", noticeVersion: "2026-10", wordingHash: String(repeating: "a", count: 64), recordedAt: Self.now))
        #expect(enrolment.exclusion(of: consented, in: Self.declaration) == nil)
        #expect(enrolment.exclusion(of: SubjectState(), in: Self.declaration) == .consentAbsent)
        #expect(enrolment.exclusion(of: nil, in: Self.declaration) == .subjectNotFound)
        #expect(asked.exclusion(of: SubjectState(), in: Self.declaration) == nil, "the legal-claims ground does not rest on consent")
    }
}

extension DisclosureRuleTests {
    @Test(
        "OEX-52/C26 (Art 6(1)(f)): a business buyer's data room leaves direct identifiers out and names people by pseudonyms, unless the override is justified"
    )
    func dataRoom() throws {
        let room = try Self.police(
            ground: .legitimateInterests, recipient: "buyer", requester: .registered, categories: ["user.name", "user.workplace"])
        #expect(room.isDataRoom && room.pseudonymises)
        #expect(!room.carries(category: "user.name") && room.carries(category: "user.workplace"))
        let named = try Disclosure.requested(
            requester: .registered, requesterName: "Buyer Ltd", recipient: "buyer", country: nil, verification: "NDA signed 2026-11-30",
            ground: .legitimateInterests, reference: nil, agreement: nil, necessity: "Key customer contracts must be assigned by name",
            categories: ["user.name"], subjects: [UUID()], identifiedBecause: "Contracts are assigned by name", in: Self.declaration,
            loggedBy: "key:support", at: Self.now)
        #expect(!named.pseudonymises && named.carries(category: "user.name"))
        #expect(try Self.police(recipient: "police").isDataRoom == false)
    }

    @Test(
        "APX-34/ECR-27/CLQ-42 (Art 28(3), Art 49(1)(a)): nothing goes to a processor without a contract in force; a transfer on explicit consent leaves out whoever has not given it"
    )
    func contractsAndTransferConsent() throws {
        var declaration = Self.declaration
        declaration.recipients = declaration.recipients?.map { recipient in
            var recipient = recipient
            if recipient.id == "payments" { recipient.contract?.expires = CalendarDate(year: 2026, month: 6, day: 30) }
            return recipient
        }
        #expect(throws: DisclosureRefusal.contractNotInForce) {
            try Disclosure.requested(
                requester: .registered, requesterName: "Payment service provider", recipient: "payments", country: nil, verification: "Contract",
                ground: .legalObligation, reference: "Payment Services Regulations 2017", agreement: nil, necessity: "Refund",
                categories: ["user.account.payment"], subjects: [UUID()], in: declaration, loggedBy: "key:support", at: Self.now)
        }
        let abroad = try Self.police(ground: .legitimateInterests, recipient: "agency", requester: .registered, categories: ["user.name"])
        #expect(abroad.exclusion(of: SubjectState(), in: Self.declaration) == .transferConsentAbsent)
        var consented = SubjectState()
        consented.consents.apply(
            ConsentEvent(
                holder: .subject(UUID()), scope: ConsentScope(purpose: "newsletter", recipient: "agency"), action: .granted,
                mechanism: "explicit_transfer_consent", noticeVersion: "2026-10", wordingHash: String(repeating: "b", count: 64), recordedAt: Self.now
            ))
        #expect(abroad.exclusion(of: consented, in: Self.declaration) == nil)
    }
}

extension DisclosureRuleTests {
    @Test(
        "OEX-47/OEX-48/CLQ-41 (Art 13(1)(e)): group companies and advisers the register names receive their categories; the same flow to an unnamed affiliate is refused"
    )
    func registeredGroupAndAdvisers() throws {
        for recipient in ["group", "solicitors"] {
            let disclosure = try Disclosure.requested(
                requester: .registered, requesterName: recipient, recipient: recipient, country: nil, verification: "Named in our register",
                ground: .legalClaims, reference: nil, agreement: nil, necessity: "Advice on a customer's claim; without it the defence is prejudiced",
                categories: ["user.name"], subjects: [UUID()], in: Self.declaration, loggedBy: "key:support", at: Self.now)
            #expect(disclosure.recipient == recipient && disclosure.state == .pending)
        }
        #expect(throws: DisclosureRefusal.recipientUndeclared) {
            try Disclosure.requested(
                requester: .registered, requesterName: "Affiliate", recipient: "affiliate", country: nil, verification: "Email",
                ground: .legalClaims, reference: nil, agreement: nil, necessity: "Advice", categories: ["user.name"], subjects: [UUID()],
                in: Self.declaration, loggedBy: "key:support", at: Self.now)
        }
        #expect(throws: DisclosureRefusal.categoryNotForRecipient) {
            try Disclosure.requested(
                requester: .registered, requesterName: "Group", recipient: "group", country: nil, verification: "Register", ground: .legalClaims,
                reference: nil, agreement: nil, necessity: "Advice", categories: ["user.contact.phone_number"], subjects: [UUID()],
                in: Self.declaration, loggedBy: "key:support", at: Self.now)
        }
    }
}
