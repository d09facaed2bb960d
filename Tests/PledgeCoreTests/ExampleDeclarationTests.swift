import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore

/// Each seed example shows its own known problems (PROMISES.md §4) and compliant.yaml is clean.
@Suite("Example declarations")
struct ExampleDeclarationTests {
    @Test("compliant.yaml has no finding at all")
    func compliantIsClean() throws {
        let findings = Linter(today: Examples.today).lint(try Examples.declaration("compliant"))
        #expect(findings.isEmpty, "unexpected: \(findings.map { "\($0.rule) \($0.path): \($0.message)" })")
    }

    /// Every seed's findings, exactly: a rule that goes missing is a missed breach, a rule that appears is a
    /// possible false alarm, and either is decided here with its reason. Common to all five, from the law as it
    /// stands in December 2026 (issue 26): L11 no response time (Art 12(3)), L18 no breach policy (Arts 33–34),
    /// L33 no portability format (Art 20(1)), L34 automated decisions not declared (Arts 22A–22D, DUAA s.80)
    /// where a purpose leaves it unsaid; L32 a notice older than UK GDPR or the DUAA changes.
    @Test(
        "each seed shows its known problems, and nothing else",
        arguments: [
            // Every seed's notice is more than a year old: L36 asks for its review (OEX-80, OEX-81).
            // APX-39 fee, APX-57 continued use, APX-58 ICO link, APX-37..43 rights, APX-12..14 sensitive data, APX-19 applets, APX-51 DPO;
            // L23 purposes without retention, L29 no age policy, L30 no legal name, L31 training providers (Art 14).
            (
                "apexure",
                [
                    "L02", "L08", "L09", "L10", "L11", "L14", "L17", "L18", "L19", "L20", "L21", "L22", "L23", "L25", "L28", "L29", "L30", "L31",
                    "L32", "L33", "L34", "L35", "L36",
                ]
            ),
            // CAM-14/17 disclaimed cookies, CAM-02 'Itd.', CAM-03 rights, CAM-29 Google SSO transfer, CAM-33 changes; L23 no retention;
            // L31 the analytics providers' reports (CAM-16, Art 14).
            (
                "cambridge-cert",
                ["L02", "L03", "L09", "L11", "L15", "L18", "L20", "L21", "L22", "L23", "L25", "L30", "L31", "L32", "L33", "L34", "L36"]
            ),
            // ECR-03 'by using ... you agree', ECR-25/27 transfer by consent, ECR-01 2019, ECR-11/ECR-13 'anonymous unique identifier' (L06), ECR-14 beacons, ECR-43 format,
            // ECR-35 'cannot guarantee its absolute security' (L17), ECR-06 'might include, but is not limited to' (L42).
            (
                "expert-crm",
                ["L02", "L06", "L07", "L08", "L11", "L15", "L17", "L18", "L20", "L21", "L22", "L23", "L27", "L32", "L33", "L34", "L36", "L42"]
            ),
            // OEX-65/71 DPA 1998 and 'blocking', OEX-36/44/57/58 soft opt-in and LI email (PECR reg 22), OEX-73/74 ID,
            // OEX-09 cookies on request, OEX-32 credit checks (L34); L29 no age policy, L31 indirect sources.
            (
                "open-ecx",
                ["L05", "L09", "L11", "L12", "L13", "L18", "L21", "L22", "L23", "L24", "L29", "L31", "L32", "L33", "L34", "L36"]
            ),
            // CLQ-07..09 implied consent, CLQ-58 no SSL, CLQ-43 DPA 1998, CLQ-40/42 Australia, CLQ-13..17 social, CLQ-51 names,
            // CLQ-10/CLQ-12 analytics data and persistent cookies called anonymous (L06; the declaration lists IPs and cookie ids as personal data).
            (
                "classeq",
                [
                    "L01", "L04", "L06", "L07", "L08", "L09", "L11", "L13", "L15", "L16", "L18", "L20", "L21", "L22", "L23", "L26", "L27", "L30",
                    "L32", "L33", "L34", "L35", "L36",
                ]
            ),
        ])
    func seedShowsItsProblems(name: String, expected: [String]) throws {
        let rules = Examples.rules(try Examples.declaration(name))
        #expect(Set(expected).subtracting(rules).isEmpty, "\(name) should show \(Set(expected).subtracting(rules).sorted())")
        #expect(rules.subtracting(expected).isEmpty, "\(name) shows unexpected \(rules.subtracting(expected).sorted())")
        #expect(LintReport.check(yaml: try Examples.yaml(name), file: name, today: Examples.today).exitCode == 1)
    }

    @Test(
        "ECR-26 (C27; Art 13(1)(f)): Expert CRM's notice says where its stores keep the data, the UK, and that data given from abroad comes to the UK to be processed; a store declared abroad is named with its country"
    )
    func expertCRMDataLocation() throws {
        var declaration = try Examples.declaration("expert-crm")
        func transfers() -> String {
            NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose())
        }
        #expect(
            transfers().contains("We keep and process your personal data in the UK; if you give it to us from another country, it comes to the UK"))
        #expect(!transfers().contains("Some of our own systems"))
        var crm = DataSystem(id: "crm", name: "Customer database", kind: .postgres, collections: [])
        crm.location = "ie"
        declaration.systems = [crm, DataSystem(id: "shop", name: "Shop", kind: .mysql, collections: [])]
        #expect(crm.country == "IE" && declaration.systems?.last?.country == "GB", "the UK unless said")
        #expect(transfers().contains("Some of our own systems keep it elsewhere: Customer database (IE)."))
    }

    @Test(
        "OEX-10 (C03): Open ECX's 'contact details' (name, email address, telephone number and addresses) map to the taxonomy's contact categories, which its notice lists in words"
    )
    func openECXContactDetails() throws {
        let openECX = try Examples.declaration("open-ecx")
        let services = try #require(openECX.purposes.first { $0.id == "services" })
        #expect(services.categories == ["user.name", "user.contact.email", "user.contact.phone_number", "user.contact.street"])
        #expect(services.categories.dropFirst().allSatisfy { Fideslang.key($0, isWithin: "user.contact") })
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: openECX).compose())
        #expect(notice.contains("| Provide our services to clients | name, email address, phone number, postal address |"))
    }

    @Test(
        "APX-09 (C03): Apexure's name and email map to the identity and contact categories; billing and financial details ('in some cases') only under the contract purpose, and the notice says so in words"
    )
    func apexureInventory() throws {
        let apexure = try Examples.declaration("apexure")
        let financial = apexure.purposes.filter { $0.categories.contains { Fideslang.key($0, isWithin: "user.financial") } }
        #expect(financial.map(\.id) == ["contracts"] && financial.first?.basis == .contract)
        let communicate = try #require(apexure.purposes.first { $0.id == "communicate" })
        #expect(communicate.categories == ["user.name", "user.contact.email"])
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: apexure).compose())
        #expect(notice.contains("| Communicate with you, including via email newsletters | name, email address |"))
        #expect(notice.contains("| Facilitate and process contracts | name, email address, financial information | a contract with you"))
    }

    @Test(
        "CAM-01/ECR-02/ECR-48/APX-52 (C02): a notice says which sites and services it covers, and, where the site links to others, that their own notices apply and a link endorses nothing"
    )
    func noticeScopeAndOtherSites() throws {
        func notice(_ name: String) throws -> String { NoticeWriter.markdown(NoticeComposer(declaration: try Examples.declaration(name)).compose()) }
        #expect(try notice("cambridge-cert").contains("This notice covers: cambridgecert.uk websites; Registry."))
        let expert = try notice("expert-crm")
        #expect(expert.contains("This notice covers: expertcrm.co.uk websites; our services to business customers."))
        #expect(expert.contains("## Links to other websites") && expert.contains("is not an endorsement, sponsorship or approval"))
        #expect(try notice("apexure").contains("## Links to other websites"))
        #expect(try !notice("open-ecx").contains("Links to other websites"), "only where declared")
        // The covered sites are named in the HTML too, escaped like every declared text.
        var declaration = try Examples.declaration("compliant")
        declaration.notice.scope = ["<b>shop</b>.example"]
        #expect(NoticeWriter.htmlFragment(NoticeComposer(declaration: declaration).compose()).contains("&lt;b&gt;shop&lt;/b&gt;.example"))
    }

    @Test("the generated notice never repeats flagged wording", arguments: Examples.names)
    func noticeIsCleanOfFlaggedWording(name: String) throws {
        let notice = NoticeComposer(declaration: try Examples.declaration(name)).compose()
        let guardrail = WordingGuard()
        for text in [NoticeWriter.markdown(notice), NoticeWriter.htmlFragment(notice)] {
            let hit = guardrail.violation(in: text)
            #expect(hit == nil, "\(name): rendered notice contains “\(hit?.excerpt ?? "")” (\(hit?.rule ?? ""))")
        }
    }

    @Test("C02/APX-03/OEX-78: the notice has every Art 13 section, with the ICO complaint route", arguments: Examples.names)
    func noticeHasEveryArticle13Section(name: String) throws {
        let notice = NoticeComposer(declaration: try Examples.declaration(name)).compose()
        let ids = Set(notice.sections.map(\.id))
        for required in [
            "controller", "data", "purposes", "recipients", "transfers", "retention", "rights", "automated-decisions", "complaints", "changes",
        ] {
            #expect(ids.contains(required), "\(name) notice lacks section \(required)")
        }
        let markdown = NoticeWriter.markdown(notice)
        #expect(markdown.contains("https://ico.org.uk/make-a-complaint/"))
        #expect(markdown.contains("one calendar month"))
    }

    @Test(
        "C01/APX-01/APX-61/ECR-04/OEX-05/OEX-83: the controller's identity and every contact channel it declares (legal name, company number, registered office, addresses, email, phone, post, DPO) are in the notice's controller section",
        arguments: ["apexure", "expert-crm", "open-ecx"])
    func controllerSection(name: String) throws {
        let declaration = try Examples.declaration(name)
        let section = try #require(NoticeComposer(declaration: declaration).compose().sections.first { $0.id == "controller" })
        let text = section.blocks.map { block -> String in
            switch block {
            case .paragraph(let paragraph): paragraph
            case .list(let items): items.joined(separator: "\n")
            case .table(let header, let rows): (header + rows.flatMap { $0 }).joined(separator: "\n")
            }
        }.joined(separator: "\n")
        let organisation = declaration.organisation
        var expected = [organisation.legalName ?? organisation.name] + (organisation.addresses ?? [])
        expected += [organisation.companyNumber, organisation.registeredOffice, organisation.contact.email, organisation.contact.phone]
            .compactMap { $0 }
        expected += [organisation.contact.post, organisation.dpo?.email].compactMap { $0 }
        #expect(expected.count >= 3, "\(name) declares its identity and a channel")
        for part in expected {
            #expect(text.contains(part), "\(name): the controller section lacks \(part)")
        }
    }

    @Test("every Art 30(1) column of the record is filled or flagged", arguments: Examples.names)
    func ropaHasNoEmptyCell(name: String) throws {
        let declaration = try Examples.declaration(name)
        let record = RecordOfProcessing(declaration: declaration)
        #expect(record.rows.count == declaration.purposes.count)
        for row in record.rows {
            #expect(row.count == RecordOfProcessing.columns.count)
            for (index, cell) in row.enumerated() {
                #expect(!cell.trimmingCharacters(in: .whitespaces).isEmpty, "\(name): empty \(RecordOfProcessing.columns[index].title)")
            }
        }
        let csvLines = record.csv().split(separator: "\r\n")
        #expect(csvLines.count == declaration.purposes.count + 1)
    }

    @Test("missing data is flagged in the record, not left blank")
    func ropaFlagsWhatIsNotDeclared() throws {
        let record = RecordOfProcessing(declaration: try Examples.declaration("classeq"))
        let basisColumn = RecordOfProcessing.columns.firstIndex { $0.title == "Lawful basis" }!
        let erasureColumn = RecordOfProcessing.columns.firstIndex { $0.title == "Time limits for erasure" }!
        #expect(record.rows.contains { $0[basisColumn].contains("NOT DECLARED (L21)") })
        #expect(record.rows.allSatisfy { $0[erasureColumn].contains("NOT DECLARED (L23)") })
        #expect(record.html().contains("class=\"flag\""))
    }

    @Test(
        "C03/C41/CLQ-39: the record names every store that holds each purpose's data: Pledge's database and each system with a table of its categories"
    )
    func ropaNamesTheStores() throws {
        let loaded = DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop())
        let declaration = try #require(loaded.declaration, "\(loaded.findings.map(\.message))")
        let record = RecordOfProcessing(declaration: declaration)
        let column = try #require(RecordOfProcessing.columns.firstIndex { $0.title == "Where the data is kept" })
        let kept = Dictionary(uniqueKeysWithValues: zip(declaration.purposes.map(\.id), record.rows.map { $0[column] }))
        // Billing's payment, street and postcode are in the shop's orders and addresses; its name and email in customers.
        let billing = try #require(kept["billing"])
        #expect(billing.hasPrefix("Pledge's database") && billing.contains("Web shop database (postgres, GB): customers"))
        #expect(billing.contains("addresses") && billing.contains("orders"))
        // Nothing of the visit statistics' categories is in the shop: Pledge's database alone.
        #expect(kept["statistics"] == "Pledge's database")
        // Without systems every purpose names Pledge's database only.
        let plain = RecordOfProcessing(declaration: try Examples.declaration("compliant"))
        #expect(plain.rows.allSatisfy { $0[column] == "Pledge's database" })
    }

    @Test("C11/CLQ-06: the cookie table lists each technology and says when consent is needed")
    func cookieTable() throws {
        let table = CookieTable(declaration: try Examples.declaration("compliant"))
        #expect(table.rows.count == 5)
        #expect(table.rows.first { $0[0] == "pledge_consent" }?[6] == "No: strictly necessary")
        #expect(table.rows.first { $0[0] == "Cookieless visit counter" }?[6].hasPrefix("No") == true)
        #expect(table.rows.first { $0[0] == "Product videos" }?[6] == "Yes")
        // Classeq relies on "implied consent"; Pledge's table says consent is needed.
        let classeqDeclaration = try Examples.declaration("classeq")
        let classeq = CookieTable(declaration: classeqDeclaration)
        #expect(classeq.rows.allSatisfy { $0[6] == "Yes" })
        // CLQ-06: the whole register is published: the notice carries a row for each declared technology.
        let notice = NoticeWriter.markdown(NoticeComposer(declaration: classeqDeclaration).compose())
        #expect(!(classeqDeclaration.technologies ?? []).isEmpty)
        for row in classeq.rows {
            #expect(
                notice.contains(NoticeWriter.markdownTable(header: CookieTable.header, rows: [row]).split(separator: "\n").last ?? "-"), "\(row[0])")
        }
    }
}
