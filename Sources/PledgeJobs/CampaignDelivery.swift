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
        // Every second, and at once when a campaign starts or resumes on this node.
        for await _ in vault.campaignsQueued.ticks(every: .seconds(1)).cancelOnGracefulShutdown() { await deliver(with: client) }
    }

    /// What became of one message.
    public enum Outcome: Sendable, Equatable {
        case sent
        case excluded(String)
        case failed(String)
    }

    /// Sends what is due, batch after batch while batches come full, at most `rate` a second; returns
    /// what became of each. The next batch is taken and prepared while the current one goes out, and
    /// each batch's people are decided once more just before it goes, so a withdrawal or an unsubscribe
    /// made while it was prepared is in force for it.
    @discardableResult
    public func deliver(with client: SMTPClient) async -> [Outcome] {
        var outcomes: [Outcome] = []
        let limit = min(rate, Self.batchLimit)
        var upcoming = await take(limit, for: client)
        while let batch = upcoming, !Task.isCancelled {
            let started = clock()
            outcomes += batch.outcomes
            async let next = batch.leased == limit ? take(limit, for: client) : nil
            let (allowed, refused) = await stillAllowed(batch.ready)
            outcomes += refused
            let ready = allowed.filter { $0.campaign.selection.destination == .email }
            outcomes += await deliverToInboxes(allowed.filter { $0.campaign.selection.destination == .inbox })
            // The batch's messages over a few connections; those the relay took recorded sent together.
            let sent = await client.send(
                signed: ready.map { message in
                    message.signed ?? Result { try client.signed(message.email, id: Self.messageID(message.due), at: started) }
                })
            var taken: [(due: CampaignStore.Due, tracking: EmailTracking)] = []
            for (message, error) in zip(ready, sent) {
                if let error { outcomes.append(await failed(message.due, error, at: started)) } else { taken.append((message.due, message.tracking)) }
            }
            outcomes += await recordSent(taken)
            upcoming = await next
            // At most `rate` a second: a batch of `limit` takes at least limit / rate seconds.
            let pace = Double(limit) / Double(rate) - clock().timeIntervalSince(started)
            if upcoming != nil, pace > 0 { try? await Task.sleep(for: .milliseconds(Int(pace * 1000))) }
        }
        return outcomes
    }

    /// A batch taken and prepared: how many messages were leased, those ready to go, and what became of the others.
    struct Batch: Sendable {
        var leased: Int
        var ready: [Ready]
        var outcomes: [Outcome]
    }

    /// A message ready to go, with its campaign, whose person is decided on again just before.
    struct Ready: Sendable {
        var due: CampaignStore.Due
        var email: OutgoingEmail
        /// The email written and signed as it was prepared, for the relay; nil for an inbox message.
        var signed: Result<SMTPClient.SignedEmail, any Error>?
        var tracking: EmailTracking
        var campaign: Campaign
    }

    /// Leases up to `limit` messages and prepares them, their emails signed for `client` when given
    /// (while the batch before goes out); nil when none was due or they cannot be read.
    func take(_ limit: Int, for client: SMTPClient? = nil) async -> Batch? {
        let started = clock()
        guard let leased = try? await campaigns.due(at: started, lease: lease, limit: limit) else {
            logger.error("campaign messages unreadable")
            return nil
        }
        guard !leased.isEmpty else { return nil }
        // Read once a batch: a batch is usually all one campaign's.
        var found: [UUID: Result<Campaign?, any Error>] = [:]
        for id in Set(leased.map(\.campaign)) { found[id] = await read(id) }
        // A campaign stopped as its messages were taken: they go back, unsent, for when it resumes.
        let halted = Set(found.compactMap { id, read in if case .success(let campaign?) = read, campaign.state == .stopped { id } else { nil } })
        if !halted.isEmpty { try? await campaigns.release(leased.filter { halted.contains($0.campaign) }, at: started) }
        let due = leased.filter { !halted.contains($0.campaign) }
        var batch = Batch(leased: leased.count, ready: [], outcomes: [])
        for (message, prepared) in zip(due, await prepare(due, found, for: client)) {
            switch prepared {
            case .ready(let email, let signed, let tracking, _):
                guard case .success(let campaign?) = found[message.campaign] else { continue }
                batch.ready.append(Ready(due: message, email: email, signed: signed, tracking: tracking, campaign: campaign))
            case .done(let outcome): batch.outcomes.append(outcome)
            }
        }
        return batch
    }

    /// Puts inbox messages (CAM-22) in their people's inboxes, all at once; if that fails they go again after the lease.
    private func deliverToInboxes(_ messages: [Ready]) async -> [Outcome] {
        guard !messages.isEmpty else { return [] }
        do {
            try await campaigns.deliver(toInbox: messages.map { ($0.due, $0.email.subject, $0.email.text, $0.email.html) }, at: clock())
            return messages.map { _ in .sent }
        } catch {
            logger.error("inbox messages not delivered", metadata: ["count": "\(messages.count)"])
            return messages.map { _ in .failed("inbox") }
        }
    }

    /// Of `ready`, those whose people may still receive them now, a campaign's in one decision; the
    /// others recorded excluded with the rule that refuses them now. Should the decision itself fail,
    /// the batch goes as prepared.
    func stillAllowed(_ ready: [Ready]) async -> ([Ready], [Outcome]) {
        guard let rule = registry.current?.marketing else { return (ready, []) }
        var refused: [Int: String] = [:]
        for (campaign, indices) in Dictionary(grouping: ready.indices, by: { ready[$0].due.campaign }) {
            guard let first = indices.first else { continue }
            let subjects = indices.map { ready[$0].due.subject }
            guard let verdicts = try? await audience.decide(ready[first].campaign, for: subjects, rule: rule, at: clock()) else {
                logger.error("campaign permissions not decided again", metadata: ["campaign": "\(campaign.lowercasedString)"])
                continue
            }
            for index in indices {
                switch verdicts[ready[index].due.subject] {
                case .allowed?: continue
                case .refused(let refusal)?: refused[index] = refusal.code
                case nil: refused[index] = "subject_gone"
                }
            }
        }
        var outcomes: [Outcome] = []
        for (index, code) in refused {
            try? await campaigns.record(ready[index].due, state: "excluded", detail: code, at: clock())
            outcomes.append(.excluded(code))
        }
        return (ready.indices.filter { refused[$0] == nil }.map { ready[$0] }, outcomes)
    }

    /// The most messages sent on one connection, and prepared side by side.
    static let batchLimit = 500
    static let preparing = 16

    /// Decides each of `due`'s people again now, a campaign's batch in one go (an unsubscribe since
    /// the campaign started is in force for the very next message), then prepares their messages,
    /// `preparing` at a time, in their order.
    private func prepare(_ due: [CampaignStore.Due], _ found: [UUID: Result<Campaign?, any Error>], for client: SMTPClient?) async -> [Prepared] {
        // One declaration for the whole batch; per campaign, once: its templates parsed, its footer
        // written, its people decided, and the data of those allowed read together (two queries, not two a message).
        let current = registry.current
        var verdicts: [UUID: Result<[UUID: MarketingVerdict], any Error>] = [:]
        var templates: [UUID: [EmailTracking: ParsedCampaign]] = [:]
        var footers: [UUID: CampaignFooter] = [:]
        var readings: [UUID: Result<[UUID: Result<Reading, any Error>], any Error>] = [:]
        for (id, read) in found {
            guard case .success(let campaign?) = read else { continue }
            // A template that does not parse fails each message as it is prepared, with its error.
            templates[id] = try? ParsedCampaign.batch(campaign, publicURL: publicURL)
            guard let current else { continue }
            footers[id] = CampaignFooter(
                for: current.declaration.organisation, service: current.marketing.kind(of: campaign.question.purpose) == .service)
            let subjects = due.filter { $0.campaign == id }.map(\.subject)
            let decided: [UUID: MarketingVerdict]
            do {
                decided = try await audience.decide(campaign, for: subjects, rule: current.marketing, at: clock())
                verdicts[id] = .success(decided)
            } catch {
                verdicts[id] = .failure(error)
                continue
            }
            let allowed = subjects.filter { if case .allowed? = decided[$0] { true } else { false } }
            do {
                readings[id] = .success(
                    try await vault.readings(
                        of: allowed, purpose: campaign.question.purpose, recipient: campaign.question.partner, gate: current.gate,
                        actor: "campaign:\(id.lowercasedString)", at: clock()))
            } catch {
                readings[id] = .failure(error)
            }
        }
        let prepared = await withTaskGroup(of: (Int, Prepared).self) { group in
            var results = [Prepared](repeating: .done(.failed("not prepared")), count: due.count)
            var next = 0
            func start() {
                guard next < due.count else { return }
                let index = next, message = due[index], campaign = found[message.campaign] ?? .success(nil)
                let verdict = verdicts[message.campaign].map { $0.map { $0[message.subject] } } ?? .success(nil)
                let reading = readings[message.campaign].map { $0.flatMap { $0[message.subject] ?? .failure(VaultRefusal.subjectNotFound) } }
                let parsed = templates[message.campaign], footer = footers[message.campaign]
                group.addTask {
                    (
                        index,
                        await self.prepare(
                            message, of: campaign, verdict: verdict, reading: reading, templates: parsed, footer: footer, for: client)
                    )
                }
                next += 1
            }
            for _ in 0..<Self.preparing { start() }
            for await (index, prepared) in group {
                results[index] = prepared
                start()
            }
            return results
        }
        return await audited(prepared, due)
    }

    /// `prepared` once the reads of the ready messages' data are committed to the audit trail, as one
    /// unit; should that fail, none of them goes now (each is retried like a failed send).
    private func audited(_ prepared: [Prepared], _ due: [CampaignStore.Due]) async -> [Prepared] {
        let reads = prepared.compactMap { if case .ready(_, _, _, let read) = $0 { read } else { nil } }
        guard !reads.isEmpty else { return prepared }
        do {
            try await vault.commit(reads: reads)
            return prepared
        } catch {
            var settled = prepared
            for (index, message) in zip(prepared.indices, due) {
                if case .ready = prepared[index] { settled[index] = .done(await failed(message, error, at: clock())) }
            }
            return settled
        }
    }

    /// Records the messages the relay took, all at once; if that fails they go again after the
    /// lease, with the same Message-IDs.
    private func recordSent(_ taken: [(due: CampaignStore.Due, tracking: EmailTracking)]) async -> [Outcome] {
        do {
            try await campaigns.recordSent(taken, at: clock())
        } catch {
            logger.error("campaign messages sent but not recorded", metadata: ["count": "\(taken.count)"])
        }
        return taken.map { _ in .sent }
    }

    private func read(_ id: UUID) async -> Result<Campaign?, any Error> {
        do { return .success(try await campaigns.find(id)) } catch { return .failure(error) }
    }

    /// A message ready to go (signed for the relay when there is one), or what became of it instead.
    private enum Prepared {
        /// The message, as signed for the relay, its tracking tier, and the audit record of reading the person's data for it.
        case ready(OutgoingEmail, Result<SMTPClient.SignedEmail, any Error>?, EmailTracking, AuditRecord)
        case done(Outcome)
    }

    /// A person's data as the campaign's purpose may read it, and the audit record of reading it.
    typealias Reading = (values: GatedValues, read: AuditRecord)

    /// Renders one message of `campaign` (as read for its batch) whose person was decided `verdict`
    /// just now, from their data as read for the batch; a failed read or decision is retried like a failed send.
    private func prepare(
        _ due: CampaignStore.Due, of campaign: Result<Campaign?, any Error>, verdict decided: Result<MarketingVerdict?, any Error>,
        reading: Result<Reading, any Error>?, templates: [EmailTracking: ParsedCampaign]?, footer: CampaignFooter?, for client: SMTPClient?
    ) async -> Prepared {
        let now = clock()
        do {
            guard let current = registry.current, let campaign = try campaign.get() else {
                try await campaigns.record(due, state: "excluded", detail: "campaign_gone", at: now)
                return .done(.excluded("campaign_gone"))
            }
            let verdict = try decided.get()
            guard case .allowed = verdict else {
                var code = "subject_gone"
                if case .refused(let refusal) = verdict { code = refusal.code }
                try await campaigns.record(due, state: "excluded", detail: code, at: now)
                return .done(.excluded(code))
            }
            guard let reading else { throw VaultRefusal.subjectNotFound }
            let (data, read) = try reading.get()
            // user.contact.email, user.account.contact.email; an inbox message needs none (CAM-22).
            let inbox = campaign.selection.destination == .inbox
            guard let address = inbox ? "inbox" : data.values.first(where: { $0.category.hasSuffix(".contact.email") })?.value
            else {
                try await campaigns.record(due, state: "excluded", detail: MarketingRefusal.noAddress.code, at: now)
                return .done(.excluded(MarketingRefusal.noAddress.code))
            }
            // CLQ-21: individual tracking only while their tracking consent stands; the others in the campaign get the aggregate tier.
            let consents = campaign.tracking == .individual ? try await vault.state(of: due.subject)?.consents ?? ConsentState() : ConsentState()
            // An inbox message carries no tracking: the service shows it, nobody's mail client fetches a pixel.
            let tracking = inbox ? .none : current.marketing.tracking(campaign.tracking, for: campaign.question, consents: consents)
            let email = try message(
                campaign, to: due.subject, address: address, values: data.values, tracking: tracking,
                service: current.marketing.kind(of: campaign.question.purpose) == .service, organisation: current.declaration.organisation,
                templates: templates, footer: footer, at: now)
            // Signed here, side by side with the others and while the batch before is on the wire: an
            // RSA signature is most of a message's cost.
            let signed = inbox ? nil : client.map { client in Result { try client.signed(email, id: Self.messageID(due), at: now) } }
            return .ready(email, signed, tracking, read)
        } catch {
            return .done(await failed(due, error, at: now))
        }
    }

    /// Puts a message back for another try, or records it failed, as `error` calls for.
    private func failed(_ due: CampaignStore.Due, _ error: any Error, at now: Date) async -> Outcome {
        let reason = EmailDelivery.reason(error)
        logger.notice("campaign message not sent", metadata: ["campaign": "\(due.campaign.lowercasedString)", "reason": "\(reason)"])
        if let delay = EmailDelivery.retryDelay(after: error, attempts: due.attempts) {
            try? await campaigns.retry(due, after: delay, at: now)
        } else {
            try? await campaigns.record(due, state: "failed", detail: reason, at: now)
        }
        return .failed(reason)
    }

    /// The message for one person: the campaign's templates over their data with its links as their
    /// tracking tier has them, then the footer: a marketing message's with the sender and a way to stop
    /// them (PECR reg 23), a service message's with the sender only (C16).
    func message(
        _ campaign: Campaign, to subject: UUID, address: String, values: [StoredValue], tracking: EmailTracking, service: Bool,
        organisation: Organisation, templates: [EmailTracking: ParsedCampaign]? = nil, footer: CampaignFooter? = nil, at now: Date
    ) throws -> OutgoingEmail {
        // One recipient token, signed under two keys: the unsubscribe and preference links', and the tracking links'.
        let recipient = UnsubscribeToken(subject: subject, campaign: campaign.id, issued: CalendarDate(utc: now))
        let token = recipient.text(key: vault.keys.unsubscribeSigning)
        let url = publicURL + "/unsubscribe/" + token, preferences = publicURL + "/preferences/" + token
        // The batch's footer, written once for it; the links are this person's.
        guard let footer = footer ?? CampaignFooter(for: organisation, service: service) else { throw CampaignRefusal.senderAddressMissing }
        var context: [String: Any] = ["unsubscribe_url": url, "preferences_url": preferences, "organisation": organisation.name]
        for value in values { Self.place(value.value, at: value.category.split(separator: ".").map(String.init), in: &context) }
        let links = TrackedLinks(
            tier: tracking, campaign: campaign.id, publicURL: publicURL,
            token: tracking == .individual ? recipient.text(key: vault.keys.trackingSigning) : "")
        // Parsed for the batch when the tier's links name nobody; an individual tier's carry this person's token.
        let parsed = try templates?[tracking] ?? ParsedCampaign(campaign, links: links)
        let subjectLine = parsed.subject.render(context)
        let text = parsed.text.render(context)
        let html = parsed.html.map { template in
            // Every value that reaches HTML is escaped by Pledge's own escape; the template engine escapes nothing.
            Self.inserting(
                footer.html(unsubscribeURL: url, preferencesURL: preferences) + links.pixel,
                into: template.render(HTMLEscapedContext.escaped(context)))
        }
        let unsubscribe =
            service ? nil : ListUnsubscribe(url: url, mailto: organisation.contact.email.map { UnsubscribeMail.mailto($0, token: token) })
        return OutgoingEmail(
            to: address, subject: subjectLine, text: text + "\n\n" + footer.text(unsubscribeURL: url, preferencesURL: preferences), html: html,
            listUnsubscribe: unsubscribe)
    }

    /// `markup` placed before the HTML body's last closing tag (in any case), or at its end. Byte by
    /// byte: Foundation's case-insensitive search was a fiftieth of a campaign's send.
    static func inserting(_ markup: String, into body: String) -> String {
        let bytes = Array(body.utf8), tag = Array("</body>".utf8)
        var start = bytes.count - tag.count
        while start >= 0 {
            // The tag is lower case; an upper-case ASCII letter of the body is compared as its lower case.
            if zip(bytes[start..<(start + tag.count)], tag).allSatisfy({ (0x41...0x5A).contains($0) ? $0 | 0x20 == $1 : $0 == $1 }) {
                return String(decoding: bytes[..<start], as: UTF8.self) + markup + "\n" + String(decoding: bytes[start...], as: UTF8.self)
            }
            start -= 1
        }
        return body + "\n" + markup
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
