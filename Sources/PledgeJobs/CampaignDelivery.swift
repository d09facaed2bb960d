import Crypto
import Foundation
import Logging
import Mustache
import PledgeCore
import PledgeStore
import ServiceLifecycle

/// Sends campaigns' messages (issue 28 §2, §3): each taken under a lease, the person's permission
/// decided again just before it goes (an unsubscribe since the campaign started is in force for the
/// very next message), rendered from their data as the purpose may read it, with the sender's identity
/// and address, a one-click unsubscribe link and List-Unsubscribe headers, signed with DKIM when a key
/// is set, and recorded sent. At most `rate` messages a second from this node.
public struct CampaignDelivery: Service {
    let campaigns: CampaignStore
    let audience: MarketingAudience
    let vault: PersonalDataVault
    let registry: DeclarationRegistry
    let client: SMTPClient?
    let publicURL: String
    let lease: TimeInterval
    let rate: Int
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        vault: PersonalDataVault, registry: DeclarationRegistry, client: SMTPClient?, publicURL: String, lease: TimeInterval = 300, rate: Int = 100,
        logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.campaigns = CampaignStore(vault: vault)
        self.audience = MarketingAudience(vault: vault)
        self.vault = vault
        self.registry = registry
        self.client = client
        self.publicURL = publicURL
        self.lease = lease
        self.rate = max(1, rate)
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        guard let client else {
            try? await gracefulShutdown()
            return
        }
        await periodically(every: .seconds(1)) { await deliver(with: client) }
    }

    /// What became of one message.
    public enum Outcome: Sendable, Equatable {
        case sent
        case excluded(String)
        case failed(String)
    }

    /// Sends what is due, batch after batch while batches come full, at most `rate` a second; returns what became of each.
    @discardableResult
    public func deliver(with client: SMTPClient) async -> [Outcome] {
        var outcomes: [Outcome] = []
        while !Task.isCancelled {
            let started = clock()
            guard let due = try? await campaigns.due(at: started, lease: lease, limit: rate) else {
                logger.error("campaign messages unreadable")
                break
            }
            // Read once a batch: a batch is usually all one campaign's.
            var found: [UUID: Result<Campaign?, any Error>] = [:]
            for message in due {
                let campaign = if let known = found[message.campaign] { known } else { await read(message.campaign) }
                found[message.campaign] = campaign
                outcomes.append(await send(message, of: campaign, with: client))
            }
            guard due.count == rate else { break }
            let elapsed = clock().timeIntervalSince(started)
            if elapsed < 1 { try? await Task.sleep(for: .milliseconds(Int((1 - elapsed) * 1000))) }
        }
        return outcomes
    }

    private func read(_ id: UUID) async -> Result<Campaign?, any Error> {
        do { return .success(try await campaigns.find(id)) } catch { return .failure(error) }
    }

    /// Sends one message of `campaign` (as read for its batch; a failed read is retried like a failed send).
    private func send(_ due: CampaignStore.Due, of campaign: Result<Campaign?, any Error>, with client: SMTPClient) async -> Outcome {
        let now = clock()
        do {
            guard let current = registry.current, let campaign = try campaign.get() else {
                try await campaigns.record(due, state: "excluded", detail: "campaign_gone", at: now)
                return .excluded("campaign_gone")
            }
            let verdict = try await audience.decide(campaign.question, for: due.subject, rule: current.marketing, at: now)
            guard case .allowed = verdict else {
                var code = "subject_gone"
                if case .refused(let refusal) = verdict { code = refusal.code }
                try await campaigns.record(due, state: "excluded", detail: code, at: now)
                return .excluded(code)
            }
            let data = try await vault.values(
                of: due.subject, purpose: campaign.question.purpose, recipient: campaign.question.partner, gate: current.gate,
                actor: "campaign:\(due.campaign.lowercasedString)", at: now)
            // user.contact.email, user.account.contact.email
            guard let address = data.values.first(where: { $0.category.hasSuffix(".contact.email") })?.value
            else {
                try await campaigns.record(due, state: "excluded", detail: MarketingRefusal.noAddress.code, at: now)
                return .excluded(MarketingRefusal.noAddress.code)
            }
            let email = try message(
                campaign, to: due.subject, address: address, values: data.values, organisation: current.declaration.organisation, at: now)
            try await client.send(email, id: Self.messageID(due), at: now)
            try await campaigns.record(due, state: "sent", detail: nil, at: clock())
            return .sent
        } catch {
            let reason = EmailDelivery.reason(error)
            logger.notice("campaign message not sent", metadata: ["campaign": "\(due.campaign.lowercasedString)", "reason": "\(reason)"])
            if let delay = EmailDelivery.retryDelay(after: error, attempts: due.attempts) {
                try? await campaigns.retry(due, after: delay, at: now)
            } else {
                try? await campaigns.record(due, state: "failed", detail: reason, at: now)
            }
            return .failed(reason)
        }
    }

    /// The message for one person: the campaign's templates over their data, then the footer PECR reg 23 asks for.
    func message(
        _ campaign: Campaign, to subject: UUID, address: String, values: [StoredValue], organisation: Organisation, at now: Date
    ) throws -> OutgoingEmail {
        let token = UnsubscribeToken(subject: subject, campaign: campaign.id, issued: CalendarDate(utc: now)).text(key: vault.keys.unsubscribeSigning)
        let url = publicURL + "/unsubscribe/" + token, preferences = publicURL + "/preferences/" + token
        guard let footer = CampaignTemplate.footer(for: organisation, unsubscribeURL: url, preferencesURL: preferences) else {
            throw CampaignRefusal.senderAddressMissing
        }
        var context: [String: Any] = ["unsubscribe_url": url, "preferences_url": preferences, "organisation": organisation.name]
        for value in values { Self.place(value.value, at: value.category.split(separator: ".").map(String.init), in: &context) }
        let subjectLine = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + campaign.subject).render(context)
        let text = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + campaign.text).render(context)
        return OutgoingEmail(to: address, subject: subjectLine, text: text + "\n\n" + footer, listUnsubscribe: ListUnsubscribe(url: url))
    }

    /// Puts `value` at the dotted `path` of a nested context (`user.name` → ["user": ["name": …]]).
    static func place(_ value: String, at path: [String], in context: inout [String: Any]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            context[first] = value
        } else {
            var inner = context[first] as? [String: Any] ?? [:]
            place(value, at: Array(path.dropFirst()), in: &inner)
            context[first] = inner
        }
    }

    /// The Message-ID of one campaign's message to one person: the same on every attempt, so a
    /// message sent again after a node died mid-send is one message to the mailbox.
    static func messageID(_ due: CampaignStore.Due) -> UUID {
        let digest = SHA256.hash(data: Data((due.campaign.lowercasedString + due.subject.lowercasedString).utf8))
        return UUID(bytes: Data(digest.prefix(16)))
    }
}
