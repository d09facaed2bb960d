import Testing

@testable import PledgeCore

/// What a campaign's templates may name, and the footer every marketing message carries (issue 28 §2).
@Suite("Campaign templates")
struct CampaignTemplateTests {
    @Test("the names a template uses: variables, sections and unescaped tags; comments and partials name nothing")
    func names() {
        let template =
            "Hi {{user.name}}{{! a comment }} {{#user.workplace}}at {{{user.workplace}}}{{/user.workplace}} {{> footer}} {{ unsubscribe_url }}"
        #expect(CampaignTemplate.names(in: template) == ["user.name", "user.workplace", "unsubscribe_url"])
    }

    @Test("C17 (issue 28 bad input): a template naming data the purpose does not cover is refused; covered categories and built-ins pass")
    func undeclaredFields() throws {
        let declaration = try Examples.declaration("compliant")
        let question = MarketingQuestion(purpose: "newsletter", medium: .email)
        #expect(
            CampaignTemplate.refusal(
                .init(subject: "News for {{user.name}}", text: "{{unsubscribe_url}} {{organisation}}"), question: question, declaration: declaration,
                rule: MarketingPermissionRule(declaration)) == nil)
        #expect(
            CampaignTemplate.refusal(
                .init(subject: "Hi", text: "{{user.credentials.password}}"), question: question, declaration: declaration,
                rule: MarketingPermissionRule(declaration))
                == .undeclaredField("user.credentials.password", purpose: "newsletter"))
        #expect(
            CampaignTemplate.refusal(
                .init(subject: "Hi", text: "x"), question: MarketingQuestion(purpose: "newsletter", medium: .sms), declaration: declaration,
                rule: MarketingPermissionRule(declaration))
                == .mediumNotSent(.sms))
    }

    @Test("C18/APX-23/CAM-26 (PECR reg 23): the footer names the sender and a postal address and the unsubscribe link; no address, no campaign")
    func footer() throws {
        var declaration = try Examples.declaration("compliant")
        let footer = try #require(CampaignFooter(for: declaration.organisation, service: false)?.text(unsubscribeURL: "https://x.example/u/T"))
        #expect(footer.contains("Northwind Analytics Ltd, 4 Quay Street, Bristol BS1 4DJ") && footer.contains("https://x.example/u/T"))
        // Expert CRM declares no registered office: its one address is whole in the footer (its example
        // once wrote it as a YAML list, and the footer said "Unit 1").
        let expert = try #require(
            CampaignFooter(for: try Examples.declaration("expert-crm").organisation, service: false)?.text(unsubscribeURL: "https://x.example/u/T"))
        #expect(expert.contains("Sent by Expert CRM Services Limited, Unit 1, 9 Station Road, Stansted, Essex, CM24 8BE."))
        declaration.organisation.registeredOffice = nil
        declaration.organisation.addresses = nil
        declaration.organisation.contact.post = nil
        #expect(
            CampaignTemplate.refusal(
                .init(subject: "Hi", text: "x"), question: MarketingQuestion(purpose: "newsletter", medium: .email), declaration: declaration,
                rule: MarketingPermissionRule(declaration))
                == .senderAddressMissing)
    }
}
