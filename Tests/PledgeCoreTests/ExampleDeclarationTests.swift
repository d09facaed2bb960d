import Foundation
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

    @Test(
        "each seed shows its known problems",
        arguments: [
            // APX-39 fee, APX-57 continued use, APX-58 ICO link, APX-37..43 rights, APX-12..14 sensitive data, APX-19 applets, APX-51 DPO.
            ("apexure", ["L10", "L08", "L20", "L22", "L28", "L35", "L19", "L14", "L17", "L21", "L02", "L09", "L25", "L31"]),
            // CAM-14/17 disclaimed cookies, CAM-02 'Itd.', CAM-03 rights, CAM-29 Google SSO transfer, CAM-33 changes.
            ("cambridge-cert", ["L03", "L30", "L22", "L20", "L02", "L21", "L15", "L09", "L25"]),
            // ECR-03 'by using ... you agree', ECR-25/27 transfer by consent, ECR-01 2019, ECR-11/13 anonymous, ECR-14 beacons, ECR-43 format.
            ("expert-crm", ["L08", "L15", "L32", "L06", "L07", "L02", "L23", "L17", "L27", "L33", "L22", "L20", "L21"]),
            // OEX-65/71 DPA 1998 and 'blocking', OEX-36/44/57/58 soft opt-in, OEX-73/74 ID, OEX-09 cookies on request, OEX-32 credit checks.
            ("open-ecx", ["L13", "L24", "L12", "L05", "L22", "L23", "L34", "L32", "L21", "L31"]),
            // CLQ-07..09 implied consent, CLQ-58 no SSL, CLQ-43 DPA 1998, CLQ-40/42 Australia, CLQ-13..17 social, CLQ-51 names.
            ("classeq", ["L01", "L16", "L13", "L15", "L08", "L04", "L07", "L26", "L27", "L06", "L35", "L22", "L20", "L30", "L21"]),
        ])
    func seedShowsItsProblems(name: String, expected: [String]) throws {
        let rules = Examples.rules(try Examples.declaration(name))
        let missing = Set(expected).subtracting(rules)
        #expect(missing.isEmpty, "\(name) should show \(missing.sorted())")
        #expect(LintReport.check(yaml: try Examples.yaml(name), file: name, today: Examples.today).exitCode == 1)
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

    @Test("the notice has every Art 13 section", arguments: Examples.names)
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

    @Test("the cookie table lists each technology and says when consent is needed")
    func cookieTable() throws {
        let table = CookieTable(declaration: try Examples.declaration("compliant"))
        #expect(table.rows.count == 5)
        #expect(table.rows.first { $0[0] == "pledge_consent" }?[6] == "No: strictly necessary")
        #expect(table.rows.first { $0[0] == "Cookieless visit counter" }?[6].hasPrefix("No") == true)
        #expect(table.rows.first { $0[0] == "Product videos" }?[6] == "Yes")
        // Classeq relies on "implied consent"; Pledge's table says consent is needed.
        let classeq = CookieTable(declaration: try Examples.declaration("classeq"))
        #expect(classeq.rows.allSatisfy { $0[6] == "Yes" })
    }
}
