/// The form of data a recipient may receive (C37, C22): identified, de-identified, or aggregate only.
/// A partner or training provider promised "aggregate form or with identifying characteristics removed"
/// (APX-17, APX-60) is declared `deidentified` or `aggregate`, and nothing identifying reaches it.
public enum RecipientDataForm: String, Codable, Sendable, CaseIterable {
    /// Data as held, people named (the default).
    case identified
    /// Direct identifiers and free text removed, people named by pseudonyms. Still personal data in
    /// the recipient's hands when it could be linked back (UK GDPR Art 4(5), recital 26).
    case deidentified
    /// Counts only, no record about any one person; a count under `smallestCount` is suppressed, as a
    /// small number can single someone out (ICO anonymisation guidance).
    case aggregate

    /// Free-text content a person wrote, which may name them or others whatever its category.
    public static let freeText: Set<String> = ["user.content"]

    /// The smallest count an aggregate release shows; smaller ones are withheld.
    public static let smallestCount = 5

    /// The counts an aggregate release shows, from the number of people with a value in each
    /// category: those of at least `smallestCount` people, and the categories withheld as too few.
    public static func aggregate(_ people: [String: Int]) -> (counts: [String: Int], withheld: [String]) {
        let shown = people.filter { $0.value >= smallestCount }
        return (shown, people.keys.filter { shown[$0] == nil }.sorted())
    }

    /// What identifies people whatever else is known: direct identifiers (`Disclosure.directIdentifiers`) and free text.
    static let identifying = Disclosure.directIdentifiers.union(freeText)

    /// Whether a value of `category` may reach a recipient of this form: any, when identified;
    /// otherwise nothing within a direct identifier or free text.
    public func allows(category: String) -> Bool {
        self == .identified || !ProcessingGate.covers(Self.identifying, category)
    }

    /// Those of `categories` this form keeps from its recipient: the gate refuses a flow naming any,
    /// and a disclosure may not ask for them.
    public func refused(_ categories: [String]) -> [String] {
        categories.filter { !allows(category: $0) }
    }
}
