import PledgeCore

extension ContactProvenance {
    /// The provenance in a row holding the subject's `obtained`, `obtained_source`, `refusal_offered`
    /// and `subscriber` columns; nil when none was recorded. A value this version does not know is an
    /// error that names the row, never a guess.
    init?(row: BulkRow, subject: String) throws {
        guard let obtained = try row.optionalText("obtained") else { return nil }
        let subscriber = try row.optionalText("subscriber") ?? SubscriberKind.individual.rawValue
        self.init(
            obtained: try ContactOrigin(rawValue: obtained).stored(in: "subjects", row: subject, column: "obtained"),
            source: try row.optionalText("obtained_source"),
            refusalOffered: try row.optionalBool("refusal_offered") ?? false,
            subscriber: try SubscriberKind(rawValue: subscriber).stored(in: "subjects", row: subject, column: "subscriber"))
    }
}
