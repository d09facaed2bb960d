/// The law the linter and the notice are written against, as in force on 2026-12-05, and where each
/// part comes from (issue 26 §12). A rule that depends on when a change took effect reads its date here.
public enum LawInForce {
    /// The UK GDPR replaced the EU GDPR at the end of the transition period (European Union (Withdrawal)
    /// Act 2018 s.3; DPPEC (Amendments etc.) (EU Exit) Regulations 2019; DPA 2018 s.3(10)).
    public static let ukGDPR = CalendarDate(year: 2021, month: 1, day: 1)

    /// The Data (Use and Access) Act 2025's main data-protection and PECR provisions, commenced by the
    /// DUAA 2025 (Commencement No. 6 and Transitional and Saving Provisions) Regulations 2026 (SI 2026/82)
    /// reg 2: s.70 (Art 6(1)(ea), Annex 1), s.71 (Art 8A, Annex 2), s.76 (Art 12A), s.77 (Arts 13–14),
    /// s.80 (Arts 22A–22D), s.81 (Art 25(1B)), s.85 and Sch 7 (Chapter V: Art 44A, Arts 45A–45C, Art 46(1A);
    /// Arts 44 and 45 omitted), s.112 (PECR reg 6 and Sch A1), s.114 (PECR reg 22(3A)).
    public static let duaaMainProvisions = CalendarDate(year: 2026, month: 2, day: 5)

    /// DUAA 2025 s.103: complaints to controllers (DPA 2018 s.164A), in force 19 June 2026.
    public static let duaaComplaints = CalendarDate(year: 2026, month: 6, day: 19)

    /// Articles the DUAA omitted: a rule citing one of these as the source of a duty cites repealed law.
    public static let omittedArticles: [String] = ["Art 44,", "Art 44 ", "Art 45 ", "Art 45,", "Art 45)", "Art 45(", "Art 44-46", "Art 44–46"]
}
