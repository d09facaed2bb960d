import Foundation
import Testing

@testable import PledgeCore

/// Checking submissions before anything is stored (C03, C05, C06, C09, C35).
@Suite("Collection policy")
struct CollectionPolicyTests {
    let day = CalendarDate(year: 2026, month: 1, day: 31)

    func policy(_ change: (inout Declaration) -> Void = { _ in }) throws -> CollectionPolicy {
        var declaration = try Examples.declaration("compliant")
        change(&declaration)
        return CollectionPolicy(declaration)
    }

    func codes(_ result: Result<CollectionPlan, CollectionRefusal>) -> [String] {
        guard case .failure(let refusal) = result else { return [] }
        return refusal.problems.map(\.code.rawValue)
    }

    @Test("C06: a declared form with its required fields is accepted; empty optional fields are not stored")
    func form() throws {
        let result = try policy().plan(
            CollectionSubmission(route: .form("contact"), fields: ["name": "Ada", "email": "ada@example.com", "phone": " "]), on: day)
        let plan = try result.get()
        #expect(plan.values.map(\.category) == ["user.name", "user.contact.email"])
        #expect(plan.values.allSatisfy { $0.purpose == "enquiries" })
        #expect(plan.art14DueBy == nil)
        #expect(plan.decisionRequests == [DecisionRequest(purpose: "enquiries", categories: ["user.name", "user.contact.email"])])
    }

    @Test("C03/C06/APX-11/ECR-05: undeclared fields and missing required fields are refused together")
    func undeclared() throws {
        let result = try policy().plan(CollectionSubmission(route: .form("contact"), fields: ["name": "Ada", "shoe_size": "5"]), on: day)
        #expect(codes(result) == ["collection.field-undeclared", "collection.field-missing"])
    }

    @Test("C03: direct collection takes only categories the purpose covers")
    func direct() throws {
        let policy = try policy()
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.shoe_size": "5"]), on: day))
                == ["collection.category-undeclared"])
        #expect(
            codes(
                policy.plan(
                    CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.contact.phone_number": "1"]), on: day))
                == ["collection.category-not-covered"])
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "nope", source: "signup"), fields: [:]), on: day)) == [
                "collection.purpose-unknown"
            ])
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "service", source: "nope"), fields: ["user.name": "Ada"]), on: day)) == [
                "collection.source-unknown"
            ])
    }

    @Test("C35: below the minimum age is refused (403), and a form's age confirmation is required")
    func age() throws {
        let policy = try policy()
        let fields = ["name": "Ada", "email": "ada@example.com", "password": "x"]
        let young = policy.plan(CollectionSubmission(route: .form("signup"), fields: fields, age: 15), on: day)
        #expect(codes(young) == ["collection.below-minimum-age"])
        if case .failure(let refusal) = young { #expect(refusal.isForbidden) }
        #expect(codes(policy.plan(CollectionSubmission(route: .form("signup"), fields: fields), on: day)) == ["collection.age-confirmation-missing"])
        #expect((try? policy.plan(CollectionSubmission(route: .form("signup"), fields: fields, ageConfirmed: true), on: day).get()) != nil)
    }

    @Test("C06/APX-07/OEX-14: a missing required field is refused with the form's declared consequence; a missing optional one is not")
    func consequenceOfOmission() throws {
        let policy = try policy()
        let missing = policy.plan(CollectionSubmission(route: .form("contact"), fields: ["name": "Ada"]), on: day)
        guard case .failure(let refusal) = missing else {
            Issue.record("a contact form without its required email was accepted")
            return
        }
        #expect(refusal.problems.map(\.field) == ["email"])
        #expect(refusal.problems.first?.message == "'email' is required. We need a name and email address to reply to you.")
        // Phone and company are optional: leaving them out refuses nothing.
        let plan = try policy.plan(CollectionSubmission(route: .form("contact"), fields: ["name": "Ada", "email": "ada@example.com"]), on: day).get()
        #expect(plan.values.map(\.category) == ["user.name", "user.contact.email"])
    }

    @Test(
        "OEX-11 (C42, C38; PCI DSS Req 3): Open ECX's payment details take a bank account or the payment provider's card token, never a card number, however it is spaced"
    )
    func cardNumbersRefused() throws {
        let policy = CollectionPolicy(try Examples.declaration("open-ecx"))
        func plan(_ value: String) -> Result<CollectionPlan, CollectionRefusal> {
            policy.plan(
                CollectionSubmission(route: .direct(purpose: "payments", source: "forms"), fields: ["user.financial.account_number": value]), on: day)
        }
        for card in ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "6011000990139424"] {
            #expect(codes(plan(card)) == ["collection.card-number"], "\(card)")
        }
        // Not card numbers: a sort code and account, an IBAN, a token, 16 digits failing the Luhn check.
        for value in ["20-00-00 55779911", "GB29NWBK60161331926819", "tok_1NqGx2LkdIwHu7ix", "4111 1111 1111 1112"] {
            #expect((try? plan(value).get()) != nil, "\(value)")
        }
        // Only payment fields: the same digits in a phone field are a phone number, taken as given.
        let phone = policy.plan(
            CollectionSubmission(
                route: .direct(purpose: "services", source: "forms"), fields: ["user.contact.phone_number": "4111 1111 1111 1111"]), on: day)
        #expect((try? phone.get())?.values.map(\.category) == ["user.contact.phone_number"])
    }

    @Test(
        "OEX-43/APX-04 (C05; Art 14(2)(f), Art 15(1)(g)): contact details a project supplier gives Open ECX keep the project's reference beside the source; a reference that is empty, too long or more than one line is refused"
    )
    func sourceReference() throws {
        let policy = CollectionPolicy(try Examples.declaration("open-ecx"))
        func plan(_ reference: String?) -> Result<CollectionPlan, CollectionRefusal> {
            policy.plan(
                CollectionSubmission(
                    route: .direct(purpose: "services", source: "project-suppliers"), fields: ["user.name": "Ada Lovelace"],
                    sourceReference: reference), on: day)
        }
        let planned = try plan("  Project P-2291 for Acme Ltd, via Brightwire Ltd ").get()
        #expect(planned.sourceReference == "Project P-2291 for Acme Ltd, via Brightwire Ltd" && planned.source.id == "project-suppliers")
        #expect(planned.art14DueBy == day.adding(months: 1), "data from a supplier is indirect: Art 14 applies")
        #expect(try plan(nil).get().sourceReference == nil)
        for bad in ["   ", String(repeating: "x", count: 201), "P-1\nBcc: someone", "P-1\u{7}"] {
            #expect(codes(plan(bad)) == ["collection.source-reference-invalid"], "\(bad.debugDescription)")
        }
        #expect((try? plan(String(repeating: "x", count: 200)).get()) != nil)
    }

    @Test("CLQ-31 (C42): Classeq holds no payment data: no purpose or form declares a payment category, so card or bank details are refused")
    func classeqHoldsNoPaymentData() throws {
        let classeq = try Examples.declaration("classeq")
        let declared = classeq.purposes.flatMap(\.categories) + (classeq.forms ?? []).flatMap { $0.fields.map(\.category) }
        #expect(!declared.isEmpty && !declared.contains { ProcessingGate.covers(Fideslang.paymentCategories, $0) })
        let policy = CollectionPolicy(classeq)
        for category in ["user.financial.account_number", "user.financial.credit_card", "user.financial"] {
            let refused = policy.plan(
                CollectionSubmission(route: .direct(purpose: "surveys", source: "website"), fields: [category: "4111 1111 1111 1111"]), on: day)
            #expect(
                [["collection.category-not-covered"], ["collection.category-undeclared"]].contains(codes(refused)), "\(category): \(codes(refused))")
        }
    }

    @Test(
        "CLQ-55/CLQ-56/CLQ-26/CLQ-27 (C20, C23): Classeq's survey, run by its provider, names the provider in the notice beside the form; every answer is optional, even one declared required (L41 flags it), and the provider must be a declared recipient"
    )
    func providerRunSurvey() throws {
        let yaml = try Examples.yaml("classeq")
        let classeq = try Examples.declaration("classeq")
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: classeq).compose())
        #expect(notice.contains("Customer survey (run for us by The service provider that runs our surveys): we need nothing"))
        #expect(!Linter(today: Examples.today).lint(classeq).contains { $0.rule == "L41" }, "Classeq declares every answer optional")

        let required = try #require(
            DeclarationLoader.load(
                yaml: yaml.replacingOccurrences(
                    of: "{name: name, category: user.name, required: false}", with: "{name: name, category: user.name, required: true}")
            ).declaration)
        let findings = Linter(today: Examples.today).lint(required).filter { $0.rule == "L41" }
        #expect(findings.map(\.path) == ["forms[0].fields[0].required"] && findings.first?.severity == .warning)
        // Taken without the answer all the same: a survey is voluntary.
        let plan = try CollectionPolicy(required).plan(
            CollectionSubmission(route: .form("survey"), fields: ["opinions": "Quieter dishwashers"], age: 30), on: day
        ).get()
        #expect(plan.values.map(\.category) == ["user.profiling"])
        // CLQ-27: the opinions are interests (user.profiling), held for the survey purpose; marketing personalisation may
        // not use an entrant's answers, the survey may once they have agreed to take part.
        #expect(plan.values.map(\.purpose) == ["surveys"])
        let entrant = SubjectState(
            categories: ["entrant"],
            consents: ConsentState(events: [
                ConsentEvent(
                    holder: .subject(UUID()), scope: ConsentScope(purpose: "surveys"), action: .granted, mechanism: "opt_in_checkbox",
                    noticeVersion: "1", wordingHash: String(repeating: "a", count: 64), recordedAt: Date(timeIntervalSince1970: 0))
            ]))
        let gate = ProcessingGate(classeq)
        #expect(gate.decide(DecisionRequest(purpose: "surveys", categories: ["user.profiling"]), for: entrant, at: Date()).isAllowed)
        let personalised = gate.decide(DecisionRequest(purpose: "personalisation", categories: ["user.profiling"]), for: entrant, at: Date())
        #expect(personalised.reasons.map(\.code).contains("subject.category-not-covered"), "personalisation is for members, not entrants")
        // A provider that is not a declared recipient is a reference error.
        let unknown = DeclarationLoader.load(yaml: yaml.replacingOccurrences(of: "run_by: survey-provider", with: "run_by: pollsters"))
        #expect(unknown.findings.contains { $0.path == "forms[0].run_by" && $0.message.contains("'pollsters' is not a known recipient") })
    }

    @Test(
        "C35/ECR-49/ECR-51/CLQ-01 (DPA 2018 s.9): Expert CRM's and Classeq's declared age of 18 refuses a 17-year-old's data with nothing to store, and takes an adult's"
    )
    func expertCRMAge() throws {
        let policy = CollectionPolicy(try Examples.declaration("expert-crm"))
        let fields = ["name": "Sam", "email": "sam@example.com"]
        let minor = policy.plan(CollectionSubmission(route: .form("contact"), fields: fields, age: 17), on: day)
        #expect(codes(minor) == ["collection.below-minimum-age"])
        if case .failure(let refusal) = minor { #expect(refusal.problems.first?.message == "We do not collect data from anyone under 18.") }
        let adult = try policy.plan(CollectionSubmission(route: .form("contact"), fields: fields, age: 18), on: day).get()
        #expect(adult.values.map(\.category).sorted() == ["user.contact.email", "user.name"])
        let classeq = CollectionPolicy(try Examples.declaration("classeq"))
        let registration = CollectionSubmission.Route.direct(purpose: "personalisation", source: "website")
        #expect(
            codes(classeq.plan(CollectionSubmission(route: registration, fields: ["user.name": "Sam"], age: 17), on: day)) == [
                "collection.below-minimum-age"
            ])
        #expect((try? classeq.plan(CollectionSubmission(route: registration, fields: ["user.name": "Sam"], age: 18), on: day).get()) != nil)
    }

    @Test(
        "C04/C05/OEX-03/OEX-04/OEX-42/OEX-45/OEX-46: Open ECX's people are its declared categories only; data from a group company, a credit reference agency or a public register is recorded with that source and owes an Art 14 notice within a month"
    )
    func openECXSubjectsAndSources() throws {
        let declaration = try Examples.declaration("open-ecx")
        for category in ["customer", "prospect", "customer-staff", "project-contact"] {
            #expect(SubjectClassification.refusal(categories: [category], stage: nil, in: declaration) == nil, "\(category)")
        }
        #expect(SubjectClassification.refusal(categories: ["supplier"], stage: nil, in: declaration)?.code == "subject.category-unknown")
        let policy = CollectionPolicy(declaration)
        for (source, purpose, field, kind) in [
            ("group", "services", "user.name", SourceKind.groupCompany), ("cra", "credit-checks", "user.financial", .creditReferenceAgency),
            ("registers", "aml", "user.contact.street", .publicRegister),
        ] {
            let plan = try policy.plan(
                CollectionSubmission(route: .direct(purpose: purpose, source: source), fields: [field: "as supplied"]), on: day
            ).get()
            #expect(plan.source.id == source && plan.source.kind == kind, "\(source)")
            #expect(plan.art14DueBy == CalendarDate(year: 2026, month: 2, day: 28), "\(source)")
        }
    }

    @Test("C05/ECR-08: details Expert CRM gets in the course of business are recorded with that source, as direct collection owing no Art 14 notice")
    func expertCRMBusinessSource() throws {
        let plan = try CollectionPolicy(try Examples.declaration("expert-crm")).plan(
            CollectionSubmission(
                route: .direct(purpose: "support", source: "business"), fields: ["user.name": "Sam", "user.contact.phone_number": "01279 000000"]),
            on: day
        ).get()
        #expect(plan.source.id == "business" && plan.source.kind == .direct)
        #expect(plan.source.name == "The course of business we transact with each other")
        #expect(plan.values.map(\.purpose) == ["support", "support"] && plan.art14DueBy == nil)
    }

    @Test("C09: special category data without an Art 9 condition is refused (403)")
    func special() throws {
        let policy = try policy { $0.purposes[0].categories.append("user.health_and_medical") }
        let result = policy.plan(
            CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.health_and_medical": "asthma"]), on: day)
        #expect(codes(result) == ["collection.special-category-without-condition"])
    }

    @Test("C05: an indirect source opens an Art 14 notice due within one month (31 Jan → 28 Feb)")
    func art14() throws {
        let plan = try policy().plan(
            CollectionSubmission(route: .direct(purpose: "service", source: "customer-admins"), fields: ["user.name": "Bo"]), on: day
        ).get()
        #expect(plan.art14DueBy == CalendarDate(year: 2026, month: 2, day: 28))
    }
}

extension CollectionPolicyTests {
    @Test(
        "C05/C06/C15/CAM-05/CAM-07/CAM-30: Cambridge Cert's registration takes a name and an email, both required, and nothing else; each value is recorded with its source's class (direct form, single sign-on, observed usage), none owing an Art 14 notice"
    )
    func cambridgeRegistration() throws {
        let declaration = try Examples.declaration("cambridge-cert")
        let policy = CollectionPolicy(declaration)
        let registration = CollectionSubmission.Route.form("registration")
        let plan = try policy.plan(CollectionSubmission(route: registration, fields: ["name": "Ada", "email": "ada@example.com"]), on: day).get()
        #expect(plan.values.map(\.category).sorted() == ["user.account.contact.email", "user.name"])
        #expect(plan.source.kind == .direct && plan.art14DueBy == nil)
        let withoutEmail = policy.plan(CollectionSubmission(route: registration, fields: ["name": "Ada"]), on: day)
        guard case .failure(let missing) = withoutEmail else {
            Issue.record("a registration without an email was accepted")
            return
        }
        #expect(missing.problems.map(\.field) == ["email"])
        let extra = policy.plan(
            CollectionSubmission(route: registration, fields: ["name": "Ada", "email": "ada@example.com", "phone": "0123"]), on: day)
        guard case .failure(let undeclared) = extra else {
            Issue.record("a registration with an undeclared field was accepted")
            return
        }
        #expect(undeclared.problems.map(\.field) == ["phone"])
        // The sources are classed; signing in with Google and usage logs are the person's own data, not an indirect source.
        let kinds = Dictionary(uniqueKeysWithValues: declaration.sources.map { ($0.id, $0.kind) })
        // The analytics providers' reports are an indirect source (CAM-16): they owe an Art 14 notice.
        #expect(kinds == ["registration": .direct, "google-sign-in": .singleSignOn, "usage": .observed, "provider-reports": .thirdParty])
        let signIn = try policy.plan(
            CollectionSubmission(route: .direct(purpose: "websites", source: "google-sign-in"), fields: ["user.name": "Ada"]), on: day
        ).get()
        #expect(signIn.source.kind == .singleSignOn && signIn.art14DueBy == nil)
        // What sign-in may fill in is the name and email the purpose declares, nothing more.
        let more = policy.plan(
            CollectionSubmission(
                route: .direct(purpose: "websites", source: "google-sign-in"),
                fields: ["user.name": "Ada", "user.account.contact.email": "ada@example.com", "user.contact.phone_number": "0123"]), on: day)
        guard case .failure(let beyond) = more else {
            Issue.record("sign-in data beyond the name and email was accepted")
            return
        }
        #expect(beyond.problems.map(\.field) == ["user.contact.phone_number"])
        let usage = try policy.plan(
            CollectionSubmission(route: .direct(purpose: "spam", source: "usage"), fields: ["user.device.ip_address": "192.0.2.1"]), on: day
        ).get()
        #expect(usage.source.kind == .observed && usage.art14DueBy == nil)
    }

    @Test(
        "C35/CAM-27 (DPA 2018 s.9, s.123): Cambridge Cert serves a general audience from 13: a 12-year-old's data is refused; the linter asks for a Children's code assessment once children are likely to use it, and for an age policy when none is declared"
    )
    func cambridgeChildren() throws {
        var declaration = try Examples.declaration("cambridge-cert")
        #expect(declaration.children?.minimumAge == 13)
        let policy = CollectionPolicy(declaration)
        let fields = ["name": "Ada", "email": "ada@example.com"]
        #expect(
            codes(policy.plan(CollectionSubmission(route: .form("registration"), fields: fields, age: 12), on: day)) == [
                "collection.below-minimum-age"
            ])
        #expect((try? policy.plan(CollectionSubmission(route: .form("registration"), fields: fields, age: 13), on: day).get()) != nil)
        let linter = Linter(today: Examples.today)
        let children = { (declaration: Declaration) in linter.lint(declaration).filter { $0.rule == "L29" }.map(\.path) }
        #expect(!children(declaration).contains("children.childrens_code_assessment"))
        declaration.children?.likelyToBeAccessed = true
        #expect(children(declaration).contains("children.childrens_code_assessment"))
        declaration.children?.childrensCodeAssessment = CalendarDate(year: 2026, month: 6, day: 1)
        #expect(!children(declaration).contains("children.childrens_code_assessment"))
        declaration.children = nil
        #expect(children(declaration) == ["children"])
    }

    @Test(
        "C35/C42/ECR-50 (DPA 2018 s.9): Expert CRM's order form, its commercial transactions, needs the person to confirm they are 18 or over; a declared 17-year-old is refused with nothing to store"
    )
    func expertCRMOrderAge() throws {
        let policy = CollectionPolicy(try Examples.declaration("expert-crm"))
        let fields = ["name": "Sam", "email": "sam@example.com", "address": "1 High Street"]
        let order = CollectionSubmission.Route.form("order")
        #expect(codes(policy.plan(CollectionSubmission(route: order, fields: fields), on: day)) == ["collection.age-confirmation-missing"])
        #expect(
            codes(policy.plan(CollectionSubmission(route: order, fields: fields, ageConfirmed: false), on: day)) == [
                "collection.age-confirmation-missing"
            ])
        #expect(codes(policy.plan(CollectionSubmission(route: order, fields: fields, age: 17), on: day)) == ["collection.below-minimum-age"])
        let confirmed = try policy.plan(CollectionSubmission(route: order, fields: fields, ageConfirmed: true), on: day).get()
        #expect(confirmed.values.map(\.purpose) == ["purchases", "purchases", "purchases"])
    }

    @Test(
        "C05/C43/OEX-40: what Open ECX learns from people directly, through its forms, support desk, complaints and calls, is recorded with that source, as direct collection owing no Art 14 notice"
    )
    func openECXDirectSources() throws {
        let policy = CollectionPolicy(try Examples.declaration("open-ecx"))
        for source in ["forms", "support-desk", "complaints", "phone-calls"] {
            let plan = try policy.plan(
                CollectionSubmission(
                    route: .direct(purpose: "queries", source: source), fields: ["user.name": "Ada", "user.contact.email": "ada@example.com"]),
                on: day
            ).get()
            #expect(plan.source.id == source && plan.source.kind == .direct && plan.art14DueBy == nil, "\(source)")
            #expect(plan.values.allSatisfy { $0.purpose == "queries" })
        }
        #expect(throws: (any Error).self) {
            try policy.plan(CollectionSubmission(route: .direct(purpose: "queries", source: "hearsay"), fields: ["user.name": "Ada"]), on: day).get()
        }
    }
}
