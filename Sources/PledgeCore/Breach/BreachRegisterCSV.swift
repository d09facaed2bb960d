import Foundation

/// The breach register as a spreadsheet (UK GDPR Art 33(5): the controller "shall document any
/// personal data breaches, comprising the facts relating to the personal data breach, its effects
/// and the remedial action taken", which the ICO may ask to see): one row per breach with its
/// place on the clock at `instant`. Fields that a spreadsheet would read as a formula are neutralised.
public enum BreachRegisterCSV {
    public static let header = [
        "id", "aware_at", "recorded_at", "reported_by", "facts", "categories", "approx_people", "approx_records", "consequences", "measures",
        "risk", "risk_reasoning", "standing", "ico_due", "ico_notified_at", "ico_reference", "notified_late", "lateness_reason",
        "individuals_notified_at",
    ]

    public static func render(_ breaches: [Breach], at instant: Date) -> [UInt8] {
        CSVTable.render(header, breaches) { row, breach in
            let standing = breach.standing(at: instant)
            var late = ""
            if case .notified(_, let wasLate) = standing { late = wasLate ? "yes" : "no" }
            row.field(breach.id.lowercasedString)
            row.instant(breach.awareAt)
            row.instant(breach.recordedAt)
            row.field(breach.reportedBy)
            row.field(breach.facts)
            row.field(breach.categories.joined(separator: " "))
            row.field(breach.approximateSubjects.map(String.init) ?? "")
            row.field(breach.approximateRecords.map(String.init) ?? "")
            row.field(breach.consequences ?? "")
            row.field(breach.measures ?? "")
            row.field(breach.risk?.rawValue ?? "")
            row.field(breach.riskReasoning ?? "")
            row.field(standing.code)
            row.instant(breach.icoDue)
            if let notified = breach.icoNotifiedAt { row.instant(notified) } else { row.field("") }
            row.field(breach.icoReference ?? "")
            row.field(late)
            row.field(breach.latenessReason ?? "")
            if let told = breach.individualsNotifiedAt { row.instant(told) } else { row.field("") }
        }
    }
}
