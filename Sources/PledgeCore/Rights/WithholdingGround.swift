/// A ground in law for keeping data back from a request or for keeping it through an erasure (C30). A case records one of
/// these, never free text, so every withholding cites the provision it relies on (OEX-75: "to the extent permitted by law").
public enum WithholdingGround: String, Sendable, Codable, CaseIterable {
    // UK GDPR Art 17(3): erasure does not apply where processing is necessary for…
    case freedomOfExpression = "freedom_of_expression"
    case legalObligation = "legal_obligation"
    case publicHealth = "public_health"
    case archivingOrResearch = "archiving_or_research"
    case legalClaims = "legal_claims"
    /// One of the exceptions in Art 17(3), as reported by one of the organisation's systems that keeps the rows.
    case erasureException = "erasure_exception"
    /// Art 21(1) reaches only processing on Art 6(1)(e) or (f); processing on another basis goes on.
    case basisNotObjectable = "basis_not_objectable"
    /// UK GDPR Art 15(4): a copy must not adversely affect the rights and freedoms of others.
    case thirdPartyData = "third_party_data"
    // DPA 2018 Sch 2 Part 1.
    case crimeAndTaxation = "crime_and_taxation"
    case immigration
    case requiredByLaw = "required_by_law"
    // DPA 2018 Sch 2 Part 2.
    case protectingThePublic = "protecting_the_public"
    // DPA 2018 Sch 2 Part 4.
    case legalProfessionalPrivilege = "legal_professional_privilege"
    case selfIncrimination = "self_incrimination"
    case corporateFinance = "corporate_finance"
    case managementForecasts = "management_forecasts"
    case negotiations
    case confidentialReferences = "confidential_references"
    case examScriptsAndMarks = "exam_scripts_and_marks"
    // DPA 2018 Sch 2 Parts 5 and 6.
    case specialPurposes = "special_purposes"
    case researchAndStatistics = "research_and_statistics"
    case archivingInThePublicInterest = "archiving_in_the_public_interest"
    /// DPA 2018 Sch 3: health, social work and education data where disclosure would likely cause serious harm.
    case seriousHarm = "serious_harm"
    /// DPA 2018 Sch 4: disclosure prohibited or restricted by another enactment (adoption, fertilisation records…).
    case prohibitedByEnactment = "prohibited_by_enactment"

    /// Where the law gives this ground.
    public var citation: String {
        switch self {
        case .freedomOfExpression: "UK GDPR Art 17(3)(a)"
        case .legalObligation: "UK GDPR Art 17(3)(b)"
        case .publicHealth: "UK GDPR Art 17(3)(c)"
        case .archivingOrResearch: "UK GDPR Art 17(3)(d)"
        case .legalClaims: "UK GDPR Art 17(3)(e)"
        case .erasureException: "UK GDPR Art 17(3)"
        case .basisNotObjectable: "UK GDPR Art 21(1)"
        case .thirdPartyData: "UK GDPR Art 15(4); DPA 2018 Sch 2 para 16"
        case .crimeAndTaxation: "DPA 2018 Sch 2 para 2"
        case .immigration: "DPA 2018 Sch 2 para 4"
        case .requiredByLaw: "DPA 2018 Sch 2 para 5"
        case .protectingThePublic: "DPA 2018 Sch 2 para 7"
        case .legalProfessionalPrivilege: "DPA 2018 Sch 2 para 19"
        case .selfIncrimination: "DPA 2018 Sch 2 para 20"
        case .corporateFinance: "DPA 2018 Sch 2 para 21"
        case .managementForecasts: "DPA 2018 Sch 2 para 22"
        case .negotiations: "DPA 2018 Sch 2 para 23"
        case .confidentialReferences: "DPA 2018 Sch 2 para 24"
        case .examScriptsAndMarks: "DPA 2018 Sch 2 para 25"
        case .specialPurposes: "DPA 2018 Sch 2 para 26"
        case .researchAndStatistics: "DPA 2018 Sch 2 para 27"
        case .archivingInThePublicInterest: "DPA 2018 Sch 2 para 28"
        case .seriousHarm: "DPA 2018 Sch 3"
        case .prohibitedByEnactment: "DPA 2018 Sch 4"
        }
    }

    /// The ground in plain words, as the requester reads it.
    public var title: String {
        switch self {
        case .freedomOfExpression: "Freedom of expression and information"
        case .legalObligation: "Legal obligation to keep records"
        case .publicHealth: "Public health"
        case .archivingOrResearch: "Archiving, research or statistics"
        case .legalClaims: "Legal claims"
        case .erasureException: "Kept for a reason the law allows"
        case .basisNotObjectable: "Processed on a basis the right to object does not reach"
        case .thirdPartyData: "Information about other people"
        case .crimeAndTaxation: "Prevention or detection of crime, or tax"
        case .immigration: "Immigration control"
        case .requiredByLaw: "Disclosure required by law or for legal proceedings"
        case .protectingThePublic: "Functions that protect the public"
        case .legalProfessionalPrivilege: "Legal professional privilege"
        case .selfIncrimination: "Self-incrimination"
        case .corporateFinance: "Corporate finance"
        case .managementForecasts: "Management forecasts"
        case .negotiations: "Negotiations with you"
        case .confidentialReferences: "Confidential references"
        case .examScriptsAndMarks: "Exam scripts and marks"
        case .specialPurposes: "Journalism, academic, artistic or literary purposes"
        case .researchAndStatistics: "Research and statistics"
        case .archivingInThePublicInterest: "Archiving in the public interest"
        case .seriousHarm: "Health, social work or education data whose disclosure would cause serious harm"
        case .prohibitedByEnactment: "Disclosure prohibited by another law"
        }
    }

    /// Title and citation together: "Legal claims (UK GDPR Art 17(3)(e))".
    public var label: String { "\(title) (\(citation))" }

    /// The ground a stored case names: its code, or (for a case recorded before grounds were coded) the free text it
    /// held, matched by the citation in it. `nil` when the text cites nothing this type knows.
    public init?(stored text: String) {
        if let coded = WithholdingGround(rawValue: text) {
            self = coded
        } else if text.hasPrefix("Shown on the basis of") {
            self = .basisNotObjectable
        } else if let cited = Self.allCases.compactMap({ ground in Self.longestCitation(of: ground, in: text).map { (ground, $0) } })
            .max(by: { $0.1 < $1.1 })
        {
            self = cited.0
        } else {
            return nil
        }
    }

    /// The length of the longest of this ground's citations that `text` contains ("Sch 2 para 2" is within "para 20").
    private static func longestCitation(of ground: WithholdingGround, in text: String) -> Int? {
        ground.citation.split(separator: "; ").filter { text.contains($0) }.map(\.count).max()
    }
}
