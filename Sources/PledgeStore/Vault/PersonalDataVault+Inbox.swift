import Foundation
import PledgeCore
import SQLKit

/// One message in a person's inbox (CAM-22), as the organisation's service shows it to them.
public struct InboxMessage: Sendable, Equatable {
    public var campaign: UUID
    public var subject: String
    public var text: String
    public var html: String?
    public var deliveredAt: Date
}

/// What an inbox message holds, sealed under its person's data key.
struct InboxContent: Codable {
    var subject: String
    var text: String
    var html: String?
}

extension PersonalDataVault {
    /// The messages in `subject`'s inbox, newest first, opened; the read is audited. Throws
    /// `subjectNotFound` when there is no such subject (an erased person's inbox went with them).
    public func inbox(of subject: UUID, actor: String, at instant: Date) async throws -> [InboxMessage] {
        let person = subject.storedText
        let key = try await dataKey(of: person, in: sql)
        let messages = try await sql.raw(
            """
            SELECT campaign_id, sent_us, inbox_sealed FROM campaign_messages
            WHERE subject_id = \(bind: person) AND inbox_sealed IS NOT NULL ORDER BY sent_us DESC, campaign_id
            """
        ).all().map { row in
            let campaign = try row.decode(column: "campaign_id", as: String.self)
            let sealed = try row.decode(column: "inbox_sealed", as: Data.self)
            let content = try JSONDecoder().decode(InboxContent.self, from: try key.open(bytes: sealed, context: "\(person)/inbox/\(campaign)"))
            return InboxMessage(
                campaign: try UUID(canonical: campaign).stored(in: "campaign_messages", row: campaign, column: "campaign_id"),
                subject: content.subject, text: content.text, html: content.html,
                deliveredAt: Date(microseconds: try row.decode(column: "sent_us", as: Int64.self)))
        }
        try await journal.commit(
            JournalUnit(audit: [
                AuditRecord(actor: actor, action: "inbox.read", object: "subject:\(person)", after: "\(messages.count) messages", at: instant)
            ]))
        return messages
    }
}
