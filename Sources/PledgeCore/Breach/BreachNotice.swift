import Foundation

/// The communication to the people a high-risk breach concerns (UK GDPR Art 34(2)): "in clear and
/// plain language the nature of the personal data breach", with at least the contact point, the
/// likely consequences and the measures taken or proposed, including those to mitigate its possible
/// adverse effects (the information of Art 33(3)(b), (c) and (d)). Plain text: it goes by email.
public struct BreachNotice: Sendable, Equatable {
    public var subject: String
    public var text: String

    /// The notice for `breach`, refused when Art 34 does not call for one yet (not assessed as a
    /// high risk, or told already) or when what Art 34(2) requires is missing.
    public init(for breach: Breach, organisation: Organisation) throws(BreachRefusal) {
        guard breach.risk == .high else { throw .individualsNotRequired }
        guard breach.individualsNotifiedAt == nil else { throw .individualsAlreadyNotified }
        let consequences = breach.consequences?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let measures = breach.measures?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let contact = organisation.contactPointLines
        var missing: [String] = []
        if consequences.isEmpty { missing.append("its likely consequences (Art 33(3)(c))") }
        if measures.isEmpty { missing.append("the measures taken or proposed (Art 33(3)(d))") }
        if contact.isEmpty { missing.append("a contact point: organisation.dpo or organisation.contact (Art 33(3)(b))") }
        guard missing.isEmpty else { throw .noticeIncomplete(missing) }
        subject = "\(organisation.name): a personal data breach that affects you"
        text = """
            We are writing to tell you about a personal data breach at \(organisation.name) that involves \
            your personal data and is likely to result in a high risk to you.

            What happened:
            \(breach.facts.trimmingCharacters(in: .whitespacesAndNewlines))

            What it is likely to mean for you:
            \(consequences)

            What we have done and will do, including to limit its effects:
            \(measures)

            Who to contact:
            \(contact.joined(separator: "\n"))

            You also have the right to complain to the Information Commissioner's Office: https://ico.org.uk/make-a-complaint/

            """
    }
}
