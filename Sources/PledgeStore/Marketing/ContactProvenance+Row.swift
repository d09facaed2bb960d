import PledgeCore

extension ContactProvenance {
    /// The provenance in a row holding the subject's `obtained`, `obtained_source`, `refusal_offered`
    /// and `subscriber` columns; nil when none was recorded. A value this version does not know is an
    /// error that names the row, never a guess.
    init?(row: BulkRow, subject: String) throws {
        guard let obtained = try row.optionalText("obtained") else { return nil }
        try self.init(
            stored: obtained, source: try row.optionalText("obtained_source"), refusalOffered: try row.optionalBool("refusal_offered"),
            subscriber: try row.optionalText("subscriber"), subject: subject)
    }

    /// The provenance in those four columns' values, `obtained` not NULL.
    init(stored obtained: String, source: String?, refusalOffered: Bool?, subscriber: String?, subject: String) throws {
        self.init(
            obtained: try ContactOrigin(rawValue: obtained).stored(in: "subjects", row: subject, column: "obtained"), source: source,
            refusalOffered: refusalOffered ?? false,
            subscriber: try SubscriberKind(rawValue: subscriber ?? SubscriberKind.individual.rawValue).stored(
                in: "subjects", row: subject, column: "subscriber"))
    }
}
