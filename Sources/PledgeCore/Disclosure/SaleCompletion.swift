import Foundation

/// The sale of the business completed after its data room (issue 29 §3; C26, OEX-52): the buyer
/// becomes the controller of the people's data, and they are told who is responsible now and how
/// to reach them (UK GDPR Art 13(1)(a), Art 14(1)(a): the controller's identity and contact details).
public struct SaleCompletion: Sendable, Equatable {
    /// The new controller: the buyer's name.
    public var newController: String
    /// How people reach the new controller about their data (an email address, a web page).
    public var contact: String
    /// The day the buyer becomes responsible.
    public var effectiveOn: CalendarDate

    public init(newController: String, contact: String, effectiveOn: CalendarDate) {
        self.newController = newController
        self.contact = contact
        self.effectiveOn = effectiveOn
    }
}

extension Disclosure {
    /// This data room with the sale completed: only a released data room, once, naming the buyer and
    /// how to reach them.
    public func saleCompleted(_ completion: SaleCompletion) throws(DisclosureRefusal) -> Disclosure {
        guard isDataRoom else { throw .notASale }
        guard state == .released else { throw .saleNotReleased }
        guard saleCompletion == nil else { throw .saleCompletedAlready }
        let name = completion.newController.trimmingCharacters(in: .whitespacesAndNewlines)
        let contact = completion.contact.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !contact.isEmpty else { throw .newControllerMissing }
        var disclosure = self
        disclosure.saleCompletion = SaleCompletion(newController: name, contact: contact, effectiveOn: completion.effectiveOn)
        return disclosure
    }

    /// The letter to each person whose data passes to the buyer: who is responsible for it from when,
    /// how to reach them, and that their rights go with it. Nil before the sale is completed.
    public func newControllerLetter(organisation: Organisation) -> (subject: String, text: String)? {
        guard let sale = saleCompletion else { return nil }
        let subject = "\(organisation.name): \(sale.newController) is now responsible for your personal data"
        var text = """
            \(organisation.name)'s business has passed to \(sale.newController). From \(sale.effectiveOn), \(sale.newController) \
            is responsible for the personal data \(organisation.name) held about you (the data controller), and uses it for the \
            same purposes as before.

            To contact \(sale.newController) about your data: \(sale.contact)

            Your rights go with your data: you can ask \(sale.newController) for a copy of it, to correct or delete it, or \
            object to its use, and you can complain to the Information Commissioner's Office: https://ico.org.uk/make-a-complaint/

            """
        let contact = organisation.contactPointLines
        if !contact.isEmpty { text += "\nUntil then, questions to us:\n\(contact.joined(separator: "\n"))\n" }
        return (subject, text)
    }
}
