extension ExampleFiles {
    /// Recipients the disclosure tests need, added to compliant.yaml's register: a training provider
    /// that receives enrolments only with each person's consent (APX-30), and a list broker marked
    /// sale (CLQ-47).
    public static let disclosureRecipients = """
          - id: academy
            name: Training Academy Ltd
            kind: training_provider
            purposes: [newsletter]
            categories: [user.name, user.contact.email]
            requires_consent: true
          - id: broker
            name: List broker
            kind: partner
            purposes: [newsletter]
            sale: true
        """

    /// `yaml` (compliant.yaml, whose recipients end before `retention:`) with `disclosureRecipients`.
    public static func addingDisclosureRecipients(to yaml: String) -> String {
        let anchor = "\n\nretention:"
        precondition(yaml.contains(anchor), "the declaration does not end its recipients before retention:")
        return yaml.replacingOccurrences(of: anchor, with: "\n" + disclosureRecipients + anchor)
    }
}
