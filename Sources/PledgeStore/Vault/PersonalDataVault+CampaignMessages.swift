import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// The campaigns' messages to `subject`, oldest campaign first (for an access request, Art 15(1)).
    func marketingMessages(of subject: UUID) async throws -> [SubjectRecords.MarketingMessage] {
        try await sql.raw(
            """
            SELECT m.campaign_id, c.purpose, c.subject, m.state, m.detail, m.sent_us, m.tracking, m.opened_us, m.clicked_us
            FROM campaign_messages m JOIN campaigns c ON c.id = m.campaign_id
            WHERE m.subject_id = \(bind: subject.storedText) ORDER BY c.created_us, c.id
            """
        ).all().map { row in
            let campaign = try row.decode(column: "campaign_id", as: String.self)
            func instant(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(microseconds:)) }
            return SubjectRecords.MarketingMessage(
                campaign: try UUID(canonical: campaign).stored(in: "campaign_messages", row: campaign, column: "campaign_id"),
                purpose: try row.decode(column: "purpose", as: String.self), subjectLine: try row.decode(column: "subject", as: String.self),
                state: try row.decode(column: "state", as: String.self), detail: try row.decode(column: "detail", as: String?.self),
                sentAt: try instant("sent_us"), tracking: try row.decode(column: "tracking", as: String?.self), openedAt: try instant("opened_us"),
                clickedAt: try instant("clicked_us"))
        }
    }
}
