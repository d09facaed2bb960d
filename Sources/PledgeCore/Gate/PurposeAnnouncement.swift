import Foundation

/// The letter telling people, before it starts, of a purpose new in the declaration that will use
/// their data (issue 29 §5; C44; UK GDPR Art 13(3) and Art 14(4): information "prior to that further
/// processing"; Art 21(4): the right to object "explicitly brought to the attention" of the person and
/// "presented clearly and separately"). Continued use is never taken as assent (APX-57, CLQ-61).
public struct PurposeAnnouncement: Sendable, Equatable {
    public var subject: String
    public var text: String

    /// The letter for `purpose` starting on `starts`; nil when none is owed by email: a consent
    /// purpose starts for nobody until they consent, which is asked where they are (asking by email
    /// would itself be direct marketing, PECR reg 22), and a purpose without a basis does not run.
    /// `noticeURL` is where the new notice is published.
    public init?(purpose: Purpose, starts: CalendarDate, organisation: Organisation, noticeURL: String) {
        guard let basis = purpose.basis, basis != .consent else { return nil }
        subject = "\(organisation.name): a change to how we use your personal data from \(starts)"
        var text = """
            From \(starts), \(organisation.name) will also use your personal data for a new purpose: \(purpose.name).

            """
        if let description = purpose.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty {
            text += "\(description)\n\n"
        }
        text += """
            The data it uses: \(purpose.categories.joined(separator: ", ")).
            Our lawful basis: \(basis.label) (UK GDPR \(basis.article)).
            Our updated privacy notice: \(noticeURL)

            """
        if basis.carriesRightToObject {
            text += """

                YOUR RIGHT TO OBJECT
                You may object to this use of your data at any time, free of charge, and we will stop unless we \
                have compelling legitimate grounds that override your interests (UK GDPR Art 21(1)). Reply to \
                this email or use our privacy centre.

                """
        }
        let contact = organisation.contactPointLines
        if !contact.isEmpty { text += "\nQuestions:\n\(contact.joined(separator: "\n"))\n" }
        self.text = text
    }
}
