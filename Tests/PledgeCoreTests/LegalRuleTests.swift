import Testing

@testable import PledgeCore

/// One case per linter rule (PROMISES.md §4), both ways: the rule is silent on compliant.yaml and
/// fires once the declaration says what the rule is about.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let rule: String
    let change: @Sendable (inout Declaration) -> Void
    var testDescription: String { rule }

    init(_ rule: String, _ change: @escaping @Sendable (inout Declaration) -> Void) {
        self.rule = rule
        self.change = change
    }

    static func statement(_ rule: String, _ text: String) -> RuleCase {
        RuleCase(rule) { $0.statements = ($0.statements ?? []) + [Statement(topic: "test", text: text)] }
    }

    static func index<T>(_ items: [T]?, _ matches: (T) -> Bool) -> Int { items!.firstIndex(where: matches)! }

    static let all: [RuleCase] = [
        RuleCase("L01") { d in d.technologies![index(d.technologies) { $0.id == "theme" }].consent = .implied },
        RuleCase("L02") { d in d.technologies![index(d.technologies) { $0.id == "theme" }].consent = .browserSettings },
        statement("L03", "The use of cookies by our service providers is not covered by our Privacy Policy."),
        RuleCase("L04") { d in d.technologies![index(d.technologies) { $0.id == "video" }].load = .immediate },
        RuleCase("L05") { d in d.technologies = nil },
        statement("L06", "User data is anonymous."),
        RuleCase("L07") { d in d.marketing![0].trackingPurpose = nil },
        RuleCase("L08") { d in d.purposes[index(d.purposes) { $0.id == "newsletter" }].consentMechanism = .continuedUse },
        RuleCase("L09") { d in d.notice.changePolicy = nil },
        RuleCase("L10") { d in d.rights.fee = .reasonableCost },
        RuleCase("L11") { d in d.rights.responseTime = "40 days" },
        RuleCase("L12") { d in
            d.rights.verification?.documents = ["certified passport copy"]
            d.rights.verification?.documentsOnlyOnReasonableDoubt = false
        },
        statement("L13", "In accordance with the Data Protection Act 1998 you have the right of access."),
        statement("L14", "We are a controller under the General Data Protection Regulation."),
        RuleCase("L15") { d in d.recipients![index(d.recipients) { $0.id == "mailer" }].transfer = nil },
        RuleCase("L16") { d in d.security.tls = false },
        statement("L17", "Use of our website is at your own risk."),
        RuleCase("L18") { d in d.breach = nil },
        RuleCase("L19") { d in d.organisation.dpo = DataProtectionOfficer(designated: true, name: "A. Person") },
        RuleCase("L20") { d in d.rights.complaints?.icoUrl = "http://www.example.com" },
        RuleCase("L21") { d in d.purposes[0].basis = nil },
        RuleCase("L22") { d in d.rights.offered.removeAll { $0 == .objection } },
        RuleCase("L23") { d in d.retention[index(d.retention) { $0.id == "enquiries" }].period = nil },
        RuleCase("L24") { d in
            d.marketing![0].basis = .softOptIn
            d.marketing![0].products = .ownAndPartners
        },
        RuleCase("L25") { d in d.marketing![0].optOut = [] },
        RuleCase("L26") { d in d.publicContent = PublicContentPolicy(defaultDisplay: .fullNameAndCountry) },
        RuleCase("L27") { d in d.recipients![index(d.recipients) { $0.id == "police" }].disclosureTest = .soleDiscretion },
        RuleCase("L28") { d in
            d.purposes[0].categories.append("user.health_and_medical")
            d.purposes[0].specialCondition = .consent
        },
        RuleCase("L29") { d in d.children?.issConsentAge = 12 },
        RuleCase("L30") { d in d.organisation.legalName = nil },
        RuleCase("L31") { d in d.sources[index(d.sources) { $0.id == "customer-admins" }].art14 = nil },
        RuleCase("L32") { d in d.notice.versions[d.notice.versions.count - 1].lastUpdated = CalendarDate(year: 2019, month: 1, day: 25) },
        RuleCase("L33") { d in d.rights.portabilityFormats = [.commonlyUsedElectronic] },
        RuleCase("L34") { d in
            d.purposes[0].automatedDecisions = nil
            d.purposes[0].profiling = true
        },
        RuleCase("L35") { d in d.technologies![0].kind = .applet },
        // Issue 29 §6 (APX-45): the security review a year and a half old.
        RuleCase("L36") { d in d.security.reviewed = CalendarDate(year: 2025, month: 5, day: 1) },
        // Issue 30 §7: the shop's database with one thing wrong in it.
        RuleCase("L37") { d in d.systems = [shop { $0.collections[0].fields[3].categories = ["user.date_of_birth"] }] },
        RuleCase("L38") { d in d.systems = [shop { $0.collections[4].erasure = nil }] },
        RuleCase("L39") { d in d.systems = [shop { $0.collections[2].fields[1].references = "clients.id" }] },
        RuleCase("L40") { d in d.systems = [shop { $0.collections[4].fields[0].identity = nil }] },
        // CLQ-56: the contact form handed to a provider (compliant.yaml's mailer) keeps its required name and email.
        RuleCase("L41") { d in d.forms![index(d.forms) { $0.id == "contact" }].runBy = "mailer" },
        // ECR-06: an inventory that is "not limited to" what it lists.
        statement("L42", "The Personal Data might include, but is not limited to: email address, first name and last name."),
    ]

    /// The shop of `examples/systems/shop.yaml` after `change`.
    static func shop(_ change: (inout DataSystem) -> Void) -> DataSystem {
        // The example is checked to load in SystemGraphTests; a failure here is a broken example.
        var system = try! SystemGraphTests.shop()
        change(&system)
        return system
    }
}

@Suite("Legal rules L01–L42")
struct LegalRuleTests {
    @Test("every rule of PROMISES.md §4, L36 of issue 29 §6, L37–L40 of issue 30 §7, L41 (CLQ-56) and L42 (ECR-06), has a case")
    func everyRuleHasACase() {
        let ids = (1...42).map { String(format: "L%02d", $0) }
        #expect(LegalRules.all.map(\.id).sorted() == ids)
        #expect(RuleCase.all.map(\.rule) == ids)
    }

    @Test("rule fires on the changed declaration and not on compliant.yaml", arguments: RuleCase.all)
    func ruleBothWays(_ ruleCase: RuleCase) throws {
        let compliant = try Examples.declaration("compliant")
        let linter = Linter(today: Examples.today)
        #expect(!linter.lint(compliant).contains { $0.rule == ruleCase.rule })

        var changed = compliant
        ruleCase.change(&changed)
        let findings = linter.lint(changed).filter { $0.rule == ruleCase.rule }
        #expect(!findings.isEmpty, "\(ruleCase.rule) did not fire")
        for finding in findings {
            #expect(finding.reference?.isEmpty == false, "\(ruleCase.rule) finding has no legal reference")
            #expect(!finding.message.isEmpty)
            #expect(finding.path != "(root)" || ruleCase.rule == "L05")
        }
    }

    @Test(
        "ECR-06 (L42): Expert CRM's 'might include, but is not limited to' is flagged at its statement; the notice lists exactly the declared categories; a named regulator 'including but not limited to' is not an inventory"
    )
    func openEndedInventory() throws {
        let expert = try Examples.declaration("expert-crm")
        let findings = Linter(today: Examples.today).lint(expert).filter { $0.rule == "L42" }
        #expect(findings.map(\.path) == ["statements[0].text"] && findings.first?.severity == .warning)
        #expect(!NoticeWriter.markdown(NoticeComposer(declaration: expert).compose()).localizedCaseInsensitiveContains("not limited to"))
        var regulators = try Examples.declaration("compliant")
        regulators.statements = [
            Statement(
                topic: "recipients",
                text:
                    "The Government or our regulators, including but not limited to the Financial Conduct Authority and Prudential Regulation Authority"
            ),
            Statement(
                topic: "special", text: "Special category data includes - but is not limited to - information about your race or ethnic origin"),
        ]
        #expect(!Linter(today: Examples.today).lint(regulators).contains { $0.rule == "L42" })
    }

    @Test("findings carry the line and column of what they point at")
    func findingsHaveLocations() throws {
        let yaml = try Examples.yaml("classeq")
        let loaded = DeclarationLoader.load(yaml: yaml)
        let findings = Linter(today: Examples.today).lint(loaded.declaration!, document: loaded.document)
        let tls = try #require(findings.first { $0.rule == "L16" && $0.path == "security.tls" })
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("tls: false") }! + 1
        #expect(tls.location?.line == line)
        #expect(tls.severity == .error)
    }

    @Test("UK age of digital consent: 16 is a warning, under 13 an error")
    func childrenSeverity() throws {
        var d = try Examples.declaration("compliant")
        d.children?.issConsentAge = 16
        #expect(Linter(today: Examples.today).lint(d).first { $0.rule == "L29" }?.severity == .warning)
        d.children?.issConsentAge = 12
        #expect(Linter(today: Examples.today).lint(d).first { $0.rule == "L29" }?.severity == .error)
    }

    @Test("transfers: adequacy is accepted only for adequate countries")
    func transferAdequacy() throws {
        var d = try Examples.declaration("compliant")
        let index = d.recipients!.firstIndex { $0.id == "hosting" }!
        d.recipients![index].location = "AU"  // Australia has no UK adequacy regulations
        #expect(Linter(today: Examples.today).lint(d).contains { $0.rule == "L15" && $0.path.hasSuffix("transfer.mechanism") })
        d.recipients![index].location = "NZ"
        #expect(!Linter(today: Examples.today).lint(d).contains { $0.rule == "L15" })
    }
}
