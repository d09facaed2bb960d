import Foundation
import Testing

@testable import PledgeCore

/// Structural errors: each with its rule, path, line and column, and a suggestion where one helps.
@Suite("Declaration loader")
struct DeclarationLoaderTests {
    private func load(_ yaml: String) -> LoadedDeclaration { DeclarationLoader.load(yaml: yaml) }

    private func compliant(replacing old: String, with new: String) throws -> LoadedDeclaration {
        let yaml = try Examples.yaml("compliant")
        #expect(yaml.contains(old), "fixture text not found: \(old)")
        return load(yaml.replacingOccurrences(of: old, with: new))
    }

    @Test("every example loads")
    func examplesLoad() throws {
        for name in Examples.names {
            let loaded = DeclarationLoader.load(yaml: try Examples.yaml(name))
            #expect(loaded.isUsable, "\(name): \(loaded.findings.map(\.message))")
        }
    }

    @Test("Issue 26 §11: a notice version without dates loads, and the notice is dated the day it is published")
    func undatedNoticeLoads() throws {
        let loaded = try compliant(replacing: "      published: 2026-10-01\n      effective: 2026-11-01\n", with: "")
        let declaration = try #require(loaded.declaration, "\(loaded.findings.map(\.message))")
        #expect(declaration.notice.current?.statedDate == nil)
        let day = CalendarDate(year: 2026, month: 12, day: 5)
        let text = NoticeWriter.markdown(NoticeComposer(declaration: declaration, publishedOn: day).compose())
        #expect(text.contains("Last updated 2026-12-05; in force from 2026-12-05"))
        #expect(Linter(today: day).lint(declaration).contains { $0.rule == "L32" && $0.message.contains("no date") })
    }

    @Test("malformed YAML is reported with line and column")
    func malformedYAML() {
        let loaded = load("pledge: 1\norganisation:\n  name: [unclosed\n  contact: {}\n")
        let finding = loaded.findings.first
        #expect(loaded.declaration == nil)
        #expect(finding?.rule == "P001")
        #expect(finding?.code == "yaml-syntax")
        #expect(finding?.location != nil)
        #expect((finding?.location?.line ?? 0) >= 3)
    }

    @Test("an unknown key is named, located and given the nearest known key")
    func unknownKey() throws {
        let loaded = try compliant(replacing: "  legal_name: Northwind Analytics Ltd", with: "  legal_nmae: Northwind Analytics Ltd")
        let finding = try #require(loaded.findings.first { $0.rule == "P003" })
        #expect(finding.path == "organisation.legal_nmae")
        #expect(finding.suggestion == "legal_name")
        #expect(finding.location?.line == 6)
        #expect(finding.location?.column == 3)
        #expect(!loaded.isUsable)
    }

    @Test("an unknown data category gets the nearest fideslang name")
    func unknownCategory() throws {
        let loaded = try compliant(
            replacing: "{name: email, category: user.contact.email, required: true}",
            with: "{name: email, category: user.contact.emial, required: true}")
        let finding = try #require(loaded.findings.first { $0.rule == "P007" })
        #expect(finding.code == "unknown-category")
        #expect(finding.suggestion == "user.contact.email")
        #expect(finding.path == "forms[0].fields[1].category")
        #expect(finding.location != nil)
    }

    @Test("a reference to an id that does not exist is reported")
    func danglingReference() throws {
        let loaded = try compliant(replacing: "    lia: lia-enquiries\n", with: "    lia: lia-enquiry\n")
        let finding = try #require(loaded.findings.first { $0.rule == "P008" })
        #expect(finding.path == "purposes[2].lia")
        #expect(finding.suggestion == "lia-enquiries")
    }

    @Test("duplicate ids are reported")
    func duplicateID() throws {
        let loaded = try compliant(replacing: "  - id: billing\n", with: "  - id: service\n")
        #expect(loaded.findings.contains { $0.rule == "P009" && $0.code == "duplicate-id" })
    }

    @Test("a value of the wrong type is reported")
    func wrongType() throws {
        let loaded = try compliant(replacing: "  tls: true", with: "  tls: [yes]")
        let finding = try #require(loaded.findings.first { $0.rule == "P002" })
        #expect(finding.path == "security.tls")
    }

    @Test("a value outside an enumeration gets the nearest allowed value")
    func invalidEnum() throws {
        let loaded = try compliant(replacing: "    basis: contract\n", with: "    basis: contrakt\n")
        let finding = try #require(loaded.findings.first { $0.rule == "P005" })
        #expect(finding.suggestion == "contract")
    }

    @Test("a missing required key is reported")
    func missingKey() throws {
        let loaded = try compliant(replacing: "security:\n  tls: true\n", with: "security:\n")
        #expect(loaded.findings.contains { $0.rule == "P004" && $0.path == "security.tls" })
    }

    @Test("bad dates, periods and emails are reported")
    func invalidFormats() throws {
        #expect(try compliant(replacing: "published: 2026-03-02", with: "published: 2026-02-30").findings.contains { $0.rule == "P006" })
        #expect(
            try compliant(replacing: "period: P2Y\n    from: last_interaction", with: "period: two years\n    from: last_interaction").findings
                .contains { $0.rule == "P006" })
        #expect(
            try compliant(replacing: "email: privacy@northwind.example", with: "email: privacy-at-northwind").findings.contains { $0.rule == "P006" })
    }

    @Test("an effective date before publication is inconsistent")
    func inconsistentDates() throws {
        let loaded = try compliant(replacing: "effective: 2026-04-01", with: "effective: 2026-02-01")
        #expect(loaded.findings.contains { $0.rule == "P011" })
    }

    @Test("a future format version is refused clearly")
    func unsupportedVersion() {
        let loaded = load("pledge: 2\n")
        #expect(loaded.findings.first?.rule == "P010")
    }

    @Test("an empty file is refused")
    func emptyFile() {
        #expect(load("").findings.first?.rule == "P001")
    }
}
