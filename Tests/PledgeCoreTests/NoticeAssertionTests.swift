import Testing

@testable import PledgeCore

/// The notice never asserts a fact that was not declared (issue 26 §10; UK GDPR Art 5(1)(a), 12(1),
/// 13(2)(f)): with every optional fact absent, no section makes a claim about it.
@Suite("Notice assertions")
struct NoticeAssertionTests {
    /// compliant.yaml with every optional fact the notice could state removed.
    static func bare() throws -> Declaration {
        var d = try Examples.declaration("compliant")
        d.security.tls = false
        d.security.encryptionAtRest = nil
        d.security.firewall = nil
        d.security.mfaForAdmins = nil
        d.security.description = nil
        d.security.reviewInterval = nil
        d.breach = nil
        for index in d.purposes.indices {
            d.purposes[index].automatedDecisions = nil
            d.purposes[index].profiling = nil
        }
        d.children = nil
        d.marketing = nil
        d.publicContent = nil
        return d
    }

    @Test(
        "C02/C38 (issue 26 §10): with every optional fact absent, the notice claims no firewall, encryption, MFA, breach timing or absence of automated decisions"
    )
    func nothingUndeclaredIsAsserted() throws {
        let notice = NoticeComposer(declaration: try Self.bare()).compose()
        let text = NoticeWriter.markdown(notice)
        for claim in [
            "firewall", "encrypted when stored", "encrypted connection", "multi-factor", "72 hours", "within 72", "We do not make decisions",
        ] {
            #expect(!text.contains(claim), "the notice asserts '\(claim)' though nothing declared it")
        }
        // Every Art 13 section is still there, saying only what is known or what the law gives.
        let sections = Set(notice.sections.map(\.id))
        #expect(sections.isSuperset(of: ["controller", "purposes", "rights", "automated-decisions", "security", "complaints"]))
        #expect(text.contains("Art 22C"))
    }

    @Test("C02 (issue 26 §10): what is declared is said: no automated decisions, firewalls, a 72-hour breach notice")
    func declaredIsSaid() throws {
        let text = NoticeWriter.markdown(NoticeComposer(declaration: try Examples.declaration("compliant")).compose())
        for claim in ["We do not make decisions", "firewalls", "encrypted when stored", "multi-factor", "within 72 hours"] {
            #expect(text.contains(claim), "\(claim)")
        }
    }

    @Test("L34 (Art 13(2)(f)): a declaration that says nothing of automated decisions is told so; one that declares them is not")
    func undeclaredAutomatedDecisionsAreFlagged() throws {
        let findings = Linter(today: Examples.today).lint(try Self.bare()).filter { $0.rule == "L34" }
        #expect(findings.contains { $0.path == "purposes" })
        #expect(!Linter(today: Examples.today).lint(try Examples.declaration("compliant")).contains { $0.rule == "L34" })
    }
}
