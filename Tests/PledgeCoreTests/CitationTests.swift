import Testing

@testable import PledgeCore

/// Issue 26 §12: rules and the notice cite the law in force on 2026-12-05, not articles the Data (Use
/// and Access) Act 2025 omitted (Arts 44 and 45, replaced by Art 44A and Arts 45A–45C, SI 2026/82).
@Suite("Citations")
struct CitationTests {
    static func omitted(in text: String) -> [String] { LawInForce.omittedArticles.filter { text.contains($0) } }

    @Test("every linter rule names its source, and none cites an omitted article")
    func ruleReferences() {
        for rule in LegalRules.all {
            #expect(rule.reference.contains("UK GDPR") || rule.reference.contains("PECR") || rule.reference.contains("DPA 2018"), "\(rule.id)")
            #expect(Self.omitted(in: rule.reference).isEmpty, "\(rule.id) cites \(Self.omitted(in: rule.reference))")
        }
    }

    @Test("no example's notice cites an omitted article, in a section's source or its text", arguments: Examples.names)
    func noticeCitations(name: String) throws {
        let notice = NoticeComposer(declaration: try Examples.declaration(name)).compose()
        for section in notice.sections {
            #expect(Self.omitted(in: section.article).isEmpty, "\(name) \(section.id): \(section.article)")
        }
        #expect(Self.omitted(in: NoticeWriter.markdown(notice)).isEmpty, "\(name)")
    }

    @Test("the check itself finds the old adequacy citation")
    func checkCanFail() {
        #expect(Self.omitted(in: "UK adequacy regulations (Art 45)") == ["Art 45)"])
        #expect(Self.omitted(in: "UK adequacy regulations (Art 45A)").isEmpty)
    }

    @Test("L32 dates come from the commencement table: before 5 Feb 2026 is stale, on it is not")
    func commencement() throws {
        let stale = try Examples.findings("L32") { d in
            d.notice.versions[d.notice.versions.count - 1].lastUpdated = CalendarDate(year: 2026, month: 2, day: 4)
        }
        #expect(stale.count == 1)
        let current = try Examples.findings("L32") { d in d.notice.versions[d.notice.versions.count - 1].lastUpdated = LawInForce.duaaMainProvisions }
        #expect(current.isEmpty)
    }
}
