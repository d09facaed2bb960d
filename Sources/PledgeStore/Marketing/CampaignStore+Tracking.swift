import Foundation
import PledgeCore
import SQLKit

/// Opens and clicks (issue 28 §7; C19): recorded only on a message that went with the individual
/// tier and only while the person's tracking consent stands, so a withdrawal stops the recording at
/// once, whatever the pixel in an old message does. Kept on the message's row: erasure removes them
/// with it.
extension CampaignStore {
    /// What a tracked link or pixel reports.
    public enum Engagement: String, Sendable {
        case open
        case click
    }

    /// How a campaign's messages were tracked and what was seen of them (CLQ-22): opens and clicks
    /// are counted among the people tracked individually only.
    public struct Results: Sendable, Equatable {
        public var trackedIndividually: Int
        public var opened: Int
        public var clicked: Int
    }

    /// Records `engagement` with one message when it went tracked individually and the person's
    /// tracking consent stands now, as `rule` reads it (CLQ-21); returns whether it was recorded. A
    /// click implies an open (images are often blocked).
    @discardableResult
    public func record(
        _ engagement: Engagement, campaign: UUID, subject: UUID, rule: MarketingPermissionRule, at instant: Date
    ) async throws -> Bool {
        guard let found = try await find(campaign), found.tracking == .individual, let state = try await vault.state(of: subject),
            rule.tracking(.individual, for: found.question, consents: state.consents) == .individual
        else { return false }
        let set: SQLQueryString =
            engagement == .open
            ? "opened_us = COALESCE(opened_us, \(bind: instant.microseconds))"
            : "opened_us = COALESCE(opened_us, \(bind: instant.microseconds)), clicked_us = COALESCE(clicked_us, \(bind: instant.microseconds))"
        let rows = try await vault.sql.raw(
            """
            UPDATE campaign_messages SET \(set)
            WHERE campaign_id = \(bind: campaign.storedText) AND subject_id = \(bind: subject.storedText) AND tracking = 'individual'
            RETURNING subject_id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Opens and clicks among the people tracked individually.
    public func results(of id: UUID) async throws -> Results {
        guard
            let row = try await vault.sql.raw(
                """
                SELECT COUNT(*) AS tracked, COUNT(opened_us) AS opened, COUNT(clicked_us) AS clicked FROM campaign_messages
                WHERE campaign_id = \(bind: id.storedText) AND tracking = 'individual' AND state = 'sent'
                """
            ).first()
        else { return Results(trackedIndividually: 0, opened: 0, clicked: 0) }
        return Results(
            trackedIndividually: try row.decode(column: "tracked", as: Int.self), opened: try row.decode(column: "opened", as: Int.self),
            clicked: try row.decode(column: "clicked", as: Int.self))
    }

    /// Who `campaign` reaches now, each decided by `rule`; a resend to non-openers reaches only the
    /// people who did not open its first sending and whose tracking consent stands (CLQ-23); a digest
    /// only the people whose chosen frequency makes one due (CAM-23).
    public func audience(of campaign: Campaign, rule: MarketingPermissionRule, at instant: Date) async throws -> MarketingAudience.Resolution {
        let audience = MarketingAudience(vault: vault)
        var selection = campaign.selection
        if let first = campaign.resendOf {
            let consenting = try await audience.consenting(to: rule.trackingPurpose(for: campaign.question))
            selection.among = try await nonOpeners(of: first).intersection(consenting)
        }
        if let frequency = rule.digest(of: campaign.question.purpose) {
            let due = try await audience.dueForDigest(of: campaign.question.purpose, default: frequency, at: instant)
            selection.among = selection.among.map { $0.intersection(due) } ?? due
        }
        return try await audience.resolve(campaign.question, selection: selection, rule: rule, at: instant)
    }

    /// The people a campaign was sent to, tracked individually, who neither opened nor clicked it
    /// (CLQ-23): the only ones a resend to non-openers may select.
    public func nonOpeners(of id: UUID) async throws -> Set<UUID> {
        var found: Set<UUID> = []
        for row in try await vault.sql.raw(
            """
            SELECT subject_id FROM campaign_messages WHERE campaign_id = \(bind: id.storedText) AND tracking = 'individual' AND state = 'sent'
            AND opened_us IS NULL AND clicked_us IS NULL
            """
        ).all() {
            let text = try row.decode(column: "subject_id", as: String.self)
            found.insert(try UUID(canonical: text).stored(in: "campaign_messages", row: text, column: "subject_id"))
        }
        return found
    }
}
