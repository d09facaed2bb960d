extension ExampleFiles {
    /// Recipients the disclosure tests need, added to compliant.yaml's register: a training provider
    /// that receives enrolments only with each person's consent (APX-30), a list broker marked sale
    /// (CLQ-47), a prospective buyer of the business (OEX-52), group companies and advisers (OEX-47, OEX-48), and an agency in India reached only on
    /// each person's explicit consent to the transfer (Art 49(1)(a); ECR-27, CLQ-42), and a partner and a
    /// training provider that receive de-identified and aggregate data only (APX-60, APX-17).
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
          - id: buyer
            name: Prospective buyer of the business
            kind: business_buyer
            categories: [user.name, user.contact.email, user.workplace]
          - id: group
            name: Northwind Group companies
            kind: group_company
            purposes: [service]
            categories: [user.name, user.account.contact.email]
          - id: solicitors
            name: Our solicitors
            kind: professional_adviser
            purposes: [service]
            categories: [user.name, user.account.contact.email]
          - id: course-partners
            name: Course partners (feedback with identifying details removed)
            kind: partner
            purposes: [service]
            receives: deidentified
          - id: trainers
            name: Training providers (aggregate reports)
            kind: training_provider
            purposes: [service]
            receives: aggregate
          - id: agency
            name: Overseas enrolment agency
            kind: partner
            purposes: [newsletter]
            categories: [user.name]
            location: IN
            transfer: {mechanism: art49_explicit_consent}
        """

    /// `yaml` (compliant.yaml, whose recipients end before `retention:`) with `disclosureRecipients`.
    public static func addingDisclosureRecipients(to yaml: String) -> String {
        let anchor = "\n\nretention:"
        precondition(yaml.contains(anchor), "the declaration does not end its recipients before retention:")
        return yaml.replacingOccurrences(of: anchor, with: "\n" + disclosureRecipients + anchor)
    }
}
