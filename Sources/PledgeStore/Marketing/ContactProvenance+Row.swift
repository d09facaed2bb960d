import PledgeCore
import SQLKit

extension ContactProvenance {
    /// The provenance in a row holding the subject's `obtained`, `obtained_source`, `refusal_offered`
    /// and `subscriber` columns; nil when none was recorded. A value this version does not know is an
    /// error that names the row, never a guess.
    init?(row: any SQLRow, subject: String) throws {
        guard let obtained = try row.decode(column: "obtained", as: String?.self) else { return nil }
        let subscriber = try row.decode(column: "subscriber", as: String?.self) ?? SubscriberKind.individual.rawValue
        self.init(
            obtained: try ContactOrigin(rawValue: obtained).stored(in: "subjects", row: subject, column: "obtained"),
            source: try row.decode(column: "obtained_source", as: String?.self),
            refusalOffered: try row.decode(column: "refusal_offered", as: Bool?.self) ?? false,
            subscriber: try SubscriberKind(rawValue: subscriber).stored(in: "subjects", row: subject, column: "subscriber"))
    }
}
