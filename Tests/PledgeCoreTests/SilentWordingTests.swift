import Testing

@testable import PledgeCore

/// Every wording rule stays silent on correct phrasings of what it is about (issue 26 §7): three
/// or more real sentences each, from policies that get it right.
@Suite("Wording rules stay silent on correct phrasings")
struct SilentWordingTests {
    /// A rule and sentences that must not make it fire.
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let sentences: [String]
        var testDescription: String { rule }
    }

    static let cases: [Case] = [
        Case(
            rule: "L01",
            sentences: [
                "We set non-essential cookies only after you opt in on our banner.",
                "You can change your cookie choices at any time from the link in the footer.",
                "Strictly necessary cookies are set without a choice because the site cannot work without them.",
            ]),
        Case(
            rule: "L02",
            sentences: [
                "You can refuse non-essential cookies on our banner, and change your mind at any time.",
                "Your browser may also let you delete cookies, but our banner is how you give or refuse consent.",
                "We honour Global Privacy Control signals from your browser as a refusal.",
            ]),
        Case(
            rule: "L04",
            sentences: [
                "Videos from other sites load only when you click to play them.",
                "Our share links are plain links; nothing loads from the social network until you use one.",
                "Embedded maps show a placeholder until you choose to load them.",
            ]),
        Case(
            rule: "L07",
            sentences: [
                "We count how many people open our newsletter in total, without tracking anyone individually.",
                "We only measure whether you opened an email if you agree to that separately.",
                "Service emails with invoices contain no tracking.",
            ]),
        Case(
            rule: "L16",
            sentences: [
                "Every page is served over TLS, and data is encrypted at rest.",
                "We use encryption for data in transit and at rest.",
                "Our firewall and intrusion detection are reviewed every year.",
            ]),
        Case(
            rule: "L21",
            sentences: [
                "We rely on our legitimate interests in answering enquiries, which we have assessed and recorded.",
                "Our lawful basis for each purpose is shown in the table above.",
                "Where we rely on legitimate interests, you can object at any time.",
            ]),
        Case(
            rule: "L33",
            sentences: [
                "You can have your data in JSON or CSV.",
                "We provide your data in a structured, machine-readable format such as JSON.",
                "Your export contains a report and the raw data as CSV files.",
            ]),
        Case(
            rule: "L35",
            sentences: [
                "Our pages use ordinary scripts, listed in the cookie table.",
                "We support current versions of Chrome, Firefox, Safari and Edge.",
                "No plug-ins are needed to use our site.",
            ]),
        Case(
            rule: "L03",
            sentences: [
                "This policy covers the cookies our partners set on our pages, listed in the table below.",
                "We are responsible for third-party cookies set when you visit our site.",
                "Each third-party cookie is named in our cookie table with its provider.",
            ]),
        Case(
            rule: "L06",
            sentences: [
                "Our statistics are aggregated, and we publish only totals of five or more visits.",
                "Pseudonymised data is still personal data, and we protect it as such.",
                "We anonymise survey answers before analysis; until then they are personal data.",
            ]),
        Case(
            rule: "L08",
            sentences: [
                "We ask for your consent with an unticked box, and you can withdraw it at any time.",
                "Using our website does not mean you agree to marketing.",
                "Submitting the contact form lets us answer you; it is not consent to anything else.",
            ]),
        Case(
            rule: "L09",
            sentences: [
                "We will email you at least 30 days before a change to this notice takes effect.",
                "Significant changes are announced by banner and email before they apply.",
                "Earlier versions of this notice are listed with the dates they were in force.",
            ]),
        Case(
            rule: "L10",
            sentences: [
                "Asking for a copy of your data is free.",
                "We may charge a reasonable fee only for further copies or for requests that are manifestly unfounded or excessive.",
                "There is no fee for exercising your rights.",
            ]),
        Case(
            rule: "L12",
            sentences: [
                "We may ask for identity documents only when we have reasonable doubts about who is asking.",
                "We usually confirm your identity by emailing a link to the address we hold.",
                "If we need a document, a photo of it is enough, and we delete it once checked.",
            ]),
        Case(
            rule: "L14",
            sentences: [
                "We process your data under the UK GDPR and the Data Protection Act 2018.",
                "The UK General Data Protection Regulation gives you the rights below.",
                "The Privacy and Electronic Communications Regulations 2003 govern our marketing emails.",
            ]),
        Case(
            rule: "L15",
            sentences: [
                "We transfer data outside the UK only with a safeguard the UK GDPR recognises.",
                "Transfers to the United States rely on the International Data Transfer Agreement.",
                "Our hosting is in Ireland, which has UK adequacy regulations.",
            ]),
        Case(
            rule: "L17",
            sentences: [
                "We protect your data with encryption and access controls, and we test them regularly.",
                "No system is perfectly secure, so we tell you and the ICO if a breach puts you at risk.",
                "We review our security measures every year.",
            ]),
        Case(
            rule: "L20",
            sentences: [
                "You can complain to the Information Commissioner's Office at https://ico.org.uk/make-a-complaint/.",
                "Please complain to us first through our complaint form; you can also contact the ICO.",
                "The Information Commissioner (www.ico.org.uk) regulates data protection in the UK.",
            ]),
        Case(
            rule: "L23",
            sentences: [
                "We keep invoices for six years after the end of the financial year, as the Companies Act requires.",
                "Enquiries are deleted two years after our last contact with you.",
                "We keep your account data while your account is open and for 30 days after you close it.",
            ]),
        Case(
            rule: "L27",
            sentences: [
                "We disclose data to the police only when the law requires it or when it is necessary to prevent or detect crime, and each disclosure is approved and recorded.",
                "Requests from law enforcement are checked by our DPO against the DPA 2018.",
                "We tell you about a disclosure unless that would prejudice the investigation.",
            ]),
    ]

    @Test("issue 26 §7: each wording rule is silent on correct phrasings", arguments: cases)
    func silent(_ rule: Case) throws {
        for sentence in rule.sentences {
            let findings = try Examples.findings(rule.rule, statement: sentence)
            #expect(findings.isEmpty, "\(rule.rule) fired on: \(sentence) — \(findings.map(\.message))")
        }
    }
}
