import Foundation
import PledgeCore
import SQLKit

/// A marketing campaign (issue 28 §2): what it says, to whom, and how far it has gone.
public struct Campaign: Sendable, Equatable {
    public var id: UUID
    public var question: MarketingQuestion
    public var selection: MarketingAudience.Selection
    /// Mustache templates: the subject line, the plain-text body and, optionally, an HTML body.
    public var subject: String
    public var text: String
    public var html: String?
    /// The tracking tier asked for (C19); each person gets it only as far as their consent allows.
    public var tracking: EmailTracking
    /// The campaign whose non-openers this one goes to (CLQ-23), if it is a resend.
    public var resendOf: UUID?
    public var state: State
    public var createdAt: Date
    public var startedAt: Date?

    public enum State: String, Sendable, Equatable {
        case draft
        case sending
        /// Stopped by staff: no message of it is taken until it is resumed.
        case stopped
    }

    public init(
        id: UUID = UUID(), question: MarketingQuestion, selection: MarketingAudience.Selection, subject: String, text: String,
        html: String? = nil, tracking: EmailTracking = .none, resendOf: UUID? = nil, state: State = .draft, createdAt: Date, startedAt: Date? = nil
    ) {
        self.id = id
        self.question = question
        self.selection = selection
        self.subject = subject
        self.text = text
        self.html = html
        self.tracking = tracking
        self.resendOf = resendOf
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
    }
}

/// Campaigns and their messages, one row per person, unique per campaign: starting a campaign twice,
/// or a node dying mid-send, sends nobody twice (issue 28 §2). Each message is taken under a lease
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL), as the outbox's are (issue 27 §3).
public struct CampaignStore: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// How far a campaign has gone: messages by state (`queued`, `sent`, `excluded`, `failed`).
    public typealias Progress = [String: Int]

    /// One message to send: the campaign and the person.
    public struct Due: Sendable, Equatable {
        public var campaign: UUID
        public var subject: UUID
        public var attempts: Int
    }

    /// Stores a new draft.
    public func create(_ campaign: Campaign, actor: String) async throws {
        try await vault.journal.commit(
            JournalUnit { sql in
                try await sql.insert(into: "campaigns")
                    .columns(
                        "id", "purpose", "medium", "partner", "categories", "stages", "subject", "text_body", "html_body", "tracking", "resend_of",
                        "state", "created_us", "interests", "destination"
                    )
                    .values(
                        [
                            campaign.id.storedText, campaign.question.purpose, campaign.question.medium.rawValue, campaign.question.partner,
                            campaign.selection.categories.sorted().joined(separator: ","), campaign.selection.stages.sorted().joined(separator: ","),
                            campaign.subject, campaign.text, campaign.html, campaign.tracking.rawValue, campaign.resendOf?.storedText,
                            campaign.state.rawValue, campaign.createdAt.microseconds,
                            campaign.selection.interests.isEmpty ? nil : campaign.selection.interests.sorted().joined(separator: ","),
                            campaign.selection.destination == .email ? nil : campaign.selection.destination.rawValue,
                        ] as [any Encodable & Sendable]
                    ).run()
                return [
                    AuditRecord(
                        actor: actor, action: "campaign.create", object: "campaign:\(campaign.id.storedText)", purpose: campaign.question.purpose,
                        at: campaign.createdAt)
                ]
            })
    }

    public func find(_ id: UUID) async throws -> Campaign? {
        guard
            let row = try await vault.sql.raw(
                """
                SELECT purpose, medium, partner, categories, stages, subject, text_body, html_body, tracking, resend_of, state, created_us, started_us,
                interests, destination
                FROM campaigns WHERE id = \(bind: id.storedText)
                """
            ).first()
        else { return nil }
        let row_ = id.storedText
        return Campaign(
            id: id,
            question: MarketingQuestion(
                purpose: try row.decode(column: "purpose", as: String.self),
                medium: try MarketingMedium(rawValue: try row.decode(column: "medium", as: String.self)).stored(
                    in: "campaigns", row: row_, column: "medium"),
                partner: try row.decode(column: "partner", as: String?.self)),
            selection: .init(
                categories: Set(try row.decode(column: "categories", as: String.self).splitList),
                stages: Set(try row.decode(column: "stages", as: String.self).splitList),
                interests: Set(try row.decode(column: "interests", as: String?.self)?.splitList ?? []),
                destination: try MessageDestination(rawValue: try row.decode(column: "destination", as: String?.self) ?? "email").stored(
                    in: "campaigns", row: row_, column: "destination")),
            subject: try row.decode(column: "subject", as: String.self), text: try row.decode(column: "text_body", as: String.self),
            html: try row.decode(column: "html_body", as: String?.self),
            tracking: try EmailTracking(rawValue: try row.decode(column: "tracking", as: String?.self) ?? "none").stored(
                in: "campaigns", row: row_, column: "tracking"),
            resendOf: try row.decode(column: "resend_of", as: String?.self).map {
                try UUID(canonical: $0).stored(in: "campaigns", row: row_, column: "resend_of")
            },
            state: try Campaign.State(rawValue: try row.decode(column: "state", as: String.self)).stored(in: "campaigns", row: row_, column: "state"),
            createdAt: Date(microseconds: try row.decode(column: "created_us", as: Int64.self)),
            startedAt: try row.decode(column: "started_us", as: Int64?.self).map(Date.init(microseconds:)))
    }

    /// Starts sending a draft to `resolution`'s recipients, recording the excluded with their rule,
    /// all in one unit; refused when it was started already.
    public func start(_ id: UUID, resolution: MarketingAudience.Resolution, actor: String, at instant: Date) async throws {
        try await vault.journal.commit(
            JournalUnit { sql in
                let started = try await sql.raw(
                    "UPDATE campaigns SET state = 'sending', started_us = \(bind: instant.microseconds) WHERE id = \(bind: id.storedText) AND state = 'draft' RETURNING id"
                ).all()
                guard !started.isEmpty else { throw CampaignRefusal.alreadySent }
                var rows = resolution.recipients.map { ($0.subject, "queued", $0.ground.rawValue) }
                rows += resolution.excluded.map { ($0.subject, "excluded", $0.refusal.code) }
                for chunk in stride(from: 0, to: rows.count, by: 500) {
                    let insert = sql.insert(into: "campaign_messages").columns(
                        "campaign_id", "subject_id", "state", "detail", "attempts", "next_attempt_us")
                    for (subject, state, detail) in rows[chunk..<min(chunk + 500, rows.count)] {
                        insert.values(
                            [id.storedText, subject.storedText, state, detail, Int64(0), instant.microseconds] as [any Encodable & Sendable])
                    }
                    try await insert.run()
                }
                return [
                    AuditRecord(
                        actor: actor, action: "campaign.send", object: "campaign:\(id.storedText)",
                        after: "\(resolution.recipients.count) recipients, \(resolution.excluded.count) excluded", at: instant)
                ]
            })
        vault.campaignsQueued.ring()
    }

    /// Stops a sending campaign: no message of it is taken from now on, on any node; a batch a sender
    /// took just before goes on (at most one batch, `CampaignDelivery` checks again before sending).
    public func stop(_ id: UUID, actor: String, at instant: Date) async throws {
        try await move(id, from: .sending, to: .stopped, refusal: .notSending, action: "campaign.stop", actor: actor, at: instant)
    }

    /// Resumes a stopped campaign where it stopped: the messages not yet sent go, nobody twice.
    public func resume(_ id: UUID, actor: String, at instant: Date) async throws {
        try await move(id, from: .stopped, to: .sending, refusal: .notStopped, action: "campaign.resume", actor: actor, at: instant)
        vault.campaignsQueued.ring()
    }

    private func move(
        _ id: UUID, from: Campaign.State, to: Campaign.State, refusal: CampaignRefusal, action: String, actor: String, at instant: Date
    ) async throws {
        try await vault.journal.commit(
            JournalUnit { sql in
                let moved = try await sql.raw(
                    """
                    UPDATE campaigns SET state = \(bind: to.rawValue) WHERE id = \(bind: id.storedText) AND state = \(bind: from.rawValue) RETURNING id
                    """
                ).all()
                guard !moved.isEmpty else {
                    let exists = try await sql.raw("SELECT id FROM campaigns WHERE id = \(bind: id.storedText)").first()
                    throw exists == nil ? CampaignRefusal.notFound : refusal
                }
                return [AuditRecord(actor: actor, action: action, object: "campaign:\(id.storedText)", at: instant)]
            })
    }

    /// Takes the messages due of campaigns that are sending, oldest first, and holds them for `lease` seconds.
    public func due(at instant: Date, lease: TimeInterval, limit: Int = 50) async throws -> [Due] {
        let skipLocked = vault.database.isPostgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await vault.sql.raw(
            """
            UPDATE campaign_messages SET next_attempt_us = \(bind: instant.addingTimeInterval(lease).microseconds)
            WHERE (campaign_id, subject_id) IN (
                SELECT campaign_id, subject_id FROM campaign_messages WHERE state = 'queued' AND next_attempt_us <= \(bind: instant.microseconds)
                AND campaign_id IN (SELECT id FROM campaigns WHERE state = 'sending')
                ORDER BY next_attempt_us LIMIT \(literal: limit) \(unsafeRaw: skipLocked))
            RETURNING campaign_id, subject_id, attempts
            """
        ).all().map { row in
            let campaign = try row.decode(column: "campaign_id", as: String.self), subject = try row.decode(column: "subject_id", as: String.self)
            return Due(
                campaign: try UUID(canonical: campaign).stored(in: "campaign_messages", row: campaign, column: "campaign_id"),
                subject: try UUID(canonical: subject).stored(in: "campaign_messages", row: subject, column: "subject_id"),
                attempts: Int(try row.decode(column: "attempts", as: Int64.self)))
        }
    }

    /// Records a message that did not go: `excluded` (with the rule's code) or `failed` (with why).
    /// Sent ones are recorded by `recordSent(_:at:)`.
    public func record(_ due: Due, state: String, detail: String?, at instant: Date) async throws {
        try await vault.sql.raw(
            """
            UPDATE campaign_messages SET state = \(bind: state), detail = COALESCE(\(bind: detail), detail), attempts = attempts + 1
            WHERE campaign_id = \(bind: due.campaign.storedText) AND subject_id = \(bind: due.subject.storedText)
            """
        ).run()
    }

    /// Records messages the relay took, each with the tracking tier it went with: one statement per
    /// campaign and tier, 500 people at a time.
    public func recordSent(_ sent: [(due: Due, tracking: EmailTracking)], at instant: Date) async throws {
        let groups = Dictionary(grouping: sent) { "\($0.due.campaign.storedText) \($0.tracking.rawValue)" }
        for group in groups.values {
            guard let first = group.first else { continue }
            for chunk in stride(from: 0, to: group.count, by: 500) {
                let subjects = group[chunk..<min(chunk + 500, group.count)].map { $0.due.subject.storedText as any Encodable & Sendable }
                try await vault.sql.raw(
                    """
                    UPDATE campaign_messages SET state = 'sent', attempts = attempts + 1, sent_us = \(bind: instant.microseconds),
                    tracking = \(bind: first.tracking.rawValue)
                    WHERE campaign_id = \(bind: first.due.campaign.storedText) AND subject_id IN (\(binds: subjects))
                    """
                ).run()
            }
        }
    }

    /// Delivers messages to their people's inboxes (CAM-22), each sealed under its person's data key, and
    /// records them sent with no tracking, all in one unit.
    public func deliver(toInbox messages: [(due: Due, subject: String, text: String, html: String?)], at instant: Date) async throws {
        guard !messages.isEmpty else { return }
        try await vault.journal.commit(
            JournalUnit { sql in
                for message in messages {
                    let person = message.due.subject.storedText, campaign = message.due.campaign.storedText
                    let key = try await vault.dataKey(of: person, in: sql)
                    let content = InboxContent(subject: message.subject, text: message.text, html: message.html)
                    let sealed = try key.seal(bytes: try JSONEncoder().encode(content), context: "\(person)/inbox/\(campaign)")
                    try await sql.raw(
                        """
                        UPDATE campaign_messages SET state = 'sent', attempts = attempts + 1, sent_us = \(bind: instant.microseconds),
                        tracking = 'none', inbox_sealed = \(bind: sealed)
                        WHERE campaign_id = \(bind: campaign) AND subject_id = \(bind: person)
                        """
                    ).run()
                }
                return []
            })
    }

    /// Gives back messages taken but not sent (their campaign was stopped as they were taken), so a
    /// resume sends them at once rather than after the lease.
    public func release(_ due: [Due], at instant: Date) async throws {
        for message in due {
            try await vault.sql.raw(
                """
                UPDATE campaign_messages SET next_attempt_us = \(bind: instant.microseconds)
                WHERE campaign_id = \(bind: message.campaign.storedText) AND subject_id = \(bind: message.subject.storedText) AND state = 'queued'
                """
            ).run()
        }
    }

    /// Puts a message back for another try after `delay`.
    public func retry(_ due: Due, after delay: TimeInterval, at instant: Date) async throws {
        try await vault.sql.raw(
            """
            UPDATE campaign_messages SET attempts = attempts + 1, next_attempt_us = \(bind: instant.addingTimeInterval(delay).microseconds)
            WHERE campaign_id = \(bind: due.campaign.storedText) AND subject_id = \(bind: due.subject.storedText)
            """
        ).run()
    }

    /// The newest `limit` campaigns' ids, newest first.
    public func recent(limit: Int) async throws -> [UUID] {
        try await vault.sql.raw("SELECT id FROM campaigns ORDER BY created_us DESC, id LIMIT \(literal: limit)").all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            return try UUID(canonical: id).stored(in: "campaigns", row: id, column: "id")
        }
    }

    /// Messages by state.
    public func progress(of id: UUID) async throws -> Progress {
        var progress: Progress = [:]
        for row in try await vault.sql.raw(
            "SELECT state, COUNT(*) AS n FROM campaign_messages WHERE campaign_id = \(bind: id.storedText) GROUP BY state"
        ).all() {
            progress[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return progress
    }

    /// Exclusions by the rule's code.
    public func exclusions(of id: UUID) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await vault.sql.raw(
            "SELECT detail, COUNT(*) AS n FROM campaign_messages WHERE campaign_id = \(bind: id.storedText) AND state = 'excluded' GROUP BY detail"
        ).all() {
            counts[try row.decode(column: "detail", as: String?.self) ?? "unknown"] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
