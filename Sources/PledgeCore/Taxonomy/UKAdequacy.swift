/// Countries and territories with UK adequacy regulations, so that a restricted transfer to them
/// needs no further safeguard. UK GDPR Art 45A (DUAA 2025 s.85 and Sch 7; Art 45 omitted); DPA 2018 Sch 21
/// para 5 (EEA, Gibraltar and the EU's pre-2021 adequacy decisions); the Data Protection (Adequacy)
/// (Republic of Korea) Regulations 2022; the UK Extension to the EU-US Data Privacy Framework
/// (2023), which covers certified US organisations only. Australia is not on the list.
public enum UKAdequacy {
    /// ISO 3166-1 alpha-2 codes of the EEA states.
    public static let eea: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    ]

    /// Adequate destinations outside the EEA.
    public static let others: Set<String> = [
        "GI", "CH", "CA", "AR", "GG", "IM", "JE", "AD", "IL", "UY", "NZ", "JP", "FO", "KR",
    ]

    /// Destinations adequate only for recipients certified under a scheme: the United States, for
    /// organisations certified under the UK Extension to the EU-US Data Privacy Framework (the Data
    /// Protection (Adequacy) (United States of America) Regulations 2023; UK GDPR Art 45A-45B as DUAA
    /// 2025 s.85 writes them). Any other US recipient needs the IDTA or the Addendum (issue 26 §5).
    public static let certifiedOnly: Set<String> = ["US"]

    /// The United Kingdom itself: no restricted transfer.
    public static let home = "GB"

    /// The country a declared `location` names, upper-cased; the UK when none is given.
    public static func country(_ location: String?) -> String { (location ?? home).uppercased() }

    /// True when data can flow to `country` on adequacy regulations alone; for a certified-only
    /// destination, when the recipient is declared certified.
    public static func isAdequate(_ country: String, certified: Bool = false) -> Bool {
        let code = country.uppercased()
        return eea.contains(code) || others.contains(code) || (certified && certifiedOnly.contains(code))
    }
}
