import Testing

@testable import PledgeCore

/// Wording rules both ways on real phrasings (issue 26 §7, §8): each fires on the stale or wrong
/// wording and stays silent on three or more correct ones.
@Suite("Wording rules")
struct WordingRuleTests {
    /// The findings of L11 with `responseTime` declared.
    static func responseTime(_ stated: String) throws -> [Finding] { try Examples.findings("L11") { $0.rights.responseTime = stated } }

    @Test(
        "L13/OEX-71 (DPA 1998 s.14): 'blocking' of personal data in a rights sentence is stale",
        arguments: [
            "You have the right to request the blocking or deletion of your personal information.",
            "You may ask us to rectify, block, erase or destroy inaccurate data.",
            "We will consider blocking your personal data on request.",
        ])
    func blockingFires(_ text: String) throws {
        #expect(!(try Examples.findings("L13", statement: text)).isEmpty, "\(text)")
    }

    @Test(
        "L13 (issue 26 §7): blocking cookies, spam or adverts is not old law and stays silent",
        arguments: [
            "You can set your browser to block or delete cookies, though parts of the site may not work.",
            "Our servers use spam blocking and rate limits to keep the service available.",
            "If you use an ad-blocking extension, the video may not load.",
            "You have the right to block cookies in your browser settings.",
        ])
    func blockingSilent(_ text: String) throws {
        #expect(try Examples.findings("L13", statement: text).isEmpty, "\(text)")
    }

    @Test(
        "L13/OEX-65 (issue 26 §8): the DPA 1998 regime described without naming it, a £10 fee or 40 days, is stale",
        arguments: [
            "A fee of £10 is payable for a subject access request.",
            "Subject access requests cost £10 to cover our costs.",
            "We will respond to your request within 40 days.",
            "You will receive an answer to your access request within 40 calendar days.",
        ])
    func oldRegimeFires(_ text: String) throws {
        #expect(!(try Examples.findings("L13", statement: text)).isEmpty, "\(text)")
    }

    @Test(
        "L13: today's law and unrelated figures stay silent",
        arguments: [
            "Requests are free; we answer within one month (UK GDPR Art 12(3)).",
            "Our basic plan costs £10 a month.",
            "We keep server logs for 40 days and then delete them.",
        ])
    func oldRegimeSilent(_ text: String) throws {
        #expect(try Examples.findings("L13", statement: text).isEmpty, "\(text)")
    }

    @Test(
        "L11 (UK GDPR Art 12(3), 12A; issue 26 §7): correct wording of one month, with or without the two-month extension, is silent",
        arguments: [
            "within one month", "One month, extendable by two further months", "P1M", "1 month",
            "Without undue delay and in any event within one calendar month of receipt; up to three months for complex requests",
            "within a month of receiving your request, which we may extend by two months where requests are complex or numerous",
        ])
    func responseTimeSilent(_ stated: String) throws {
        #expect(try Self.responseTime(stated).isEmpty, "\(stated)")
    }

    @Test(
        "L11: a period in days, or longer than a month, is flagged",
        arguments: ["40 days", "within 30 working days", "two months", "one month or 45 days"])
    func responseTimeFires(_ stated: String) throws {
        let findings = try Self.responseTime(stated)
        #expect(findings.contains { $0.severity == .warning }, "\(stated)")
    }
}
