import Foundation
import Mustache
import PledgeCore
import PledgeStore

/// Marketing (issue 28; C17, C18): the suppression list, and who a campaign would reach.
extension PledgeAPI {
    func addSuppression(_ input: Operations.AddSuppression.Input) async throws -> Operations.AddSuppression.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let identifier = try await contactIdentifier(email: body.email, phone: body.phone)
        guard let reason = SuppressionReason(rawValue: body.reason.rawValue) else {
            throw APIError(.requestInvalidValue, message: "'\(body.reason.rawValue)' is not a suppression reason.")
        }
        try await refusals { try await vault.suppress(identifier, reason: reason, actor: key.actor, at: clock()) }
        return .created(.init(body: .json(.init(model: try await vault.suppression(of: identifier)))))
    }

    func reportBounce(_ input: Operations.ReportBounce.Input) async throws -> Operations.ReportBounce.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let identifier = try await contactIdentifier(email: body.email, phone: nil)
        guard let reason = SuppressionReason(bounce: body.kind.rawValue) else {
            return .accepted(.init(body: .json(.init(model: try await vault.suppression(of: identifier)))))
        }
        try await vault.suppress(identifier, reason: reason, actor: key.actor, at: clock())
        return .created(.init(body: .json(.init(model: try await vault.suppression(of: identifier)))))
    }

    func lookUpSuppression(_ input: Operations.LookUpSuppression.Input) async throws -> Operations.LookUpSuppression.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        _ = try caller()
        let identifier = try await contactIdentifier(email: body.email, phone: body.phone)
        return .ok(.init(body: .json(.init(model: try await vault.suppression(of: identifier)))))
    }

    func previewCampaign(_ input: Operations.PreviewCampaign.Input) async throws -> Operations.PreviewCampaign.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        _ = try caller()
        let current = try inForce()
        let question = try Self.question(purpose: body.purpose, channel: body.channel.rawValue, partner: body.partner)
        let categories = body.categories ?? []
        let imports = question.medium == .phone ? try await vault.callBarringImports() : [:]
        let selection = MarketingAudience.Selection(categories: Set(categories), stages: Set(body.stages ?? []), interests: Set(body.interests ?? []))
        if let refusal = current.marketing.refusal(for: question, categories: categories)
            ?? current.marketing.screeningRefusal(for: question, imports: imports, at: clock()) ?? current.marketing.tailoringRefusal(for: selection)
        {
            throw APIError(refusal)
        }
        let resolution = try await MarketingAudience(vault: vault).resolve(question, selection: selection, rule: current.marketing, at: clock())
        return .ok(.init(body: .json(.init(model: resolution))))
    }

    /// The one email address or phone number a body names.
    func contactIdentifier(email: String?, phone: String?) async throws -> SubjectIdentifier {
        let identifiers = try await refusals { try Self.identifiers(email: email, phone: phone, account: nil) }
        guard identifiers.count == 1, let identifier = identifiers.first else {
            throw APIError(.requestInvalidBody, message: "Give one of email or phone.")
        }
        return identifier
    }
}

extension Components.Schemas.SuppressionStatus {
    /// An identifier's place on the suppression list, or its absence.
    init(model suppression: PersonalDataVault.Suppression?) {
        self.init(
            suppressed: suppression != nil, reason: suppression.flatMap { .init(rawValue: $0.reason.rawValue) }, since: suppression?.since)
    }
}

extension Components.Schemas.CampaignPreview {
    /// The most excluded people a preview lists one by one; the counts cover everyone.
    static let listedExclusions = 1000

    /// A campaign's audience as the preview shows it.
    init(model resolution: MarketingAudience.Resolution) {
        var grounds: [String: Int] = [:]
        for recipient in resolution.recipients { grounds[recipient.ground.rawValue, default: 0] += 1 }
        var rules: [String: String] = [:]
        for excluded in resolution.excluded { rules[excluded.refusal.code] = excluded.refusal.rule }
        let listed = resolution.excluded.prefix(Self.listedExclusions)
        self.init(
            recipients: resolution.recipients.count, grounds: .init(additionalProperties: grounds),
            exclusions: resolution.exclusionCounts.sorted { $0.key < $1.key }.map { .init(code: $0.key, rule: rules[$0.key] ?? "", count: $0.value) },
            excluded: listed.map { .init(subject: $0.subject.lowercasedString, code: $0.refusal.code, rule: $0.refusal.rule) },
            excludedListed: listed.count)
    }
}

/// Campaigns: a draft, its sending, its progress (issue 28 §2).
extension PledgeAPI {
    func createCampaign(_ input: Operations.CreateCampaign.Input) async throws -> Operations.CreateCampaign.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let question = try Self.question(purpose: body.purpose, channel: body.channel.rawValue, partner: body.partner)
        let draft = CampaignTemplate.Draft(
            subject: body.subject, text: body.text, html: body.html, tracking: EmailTracking(rawValue: body.tracking?.rawValue ?? "none") ?? .none)
        let campaign = try Campaign(
            draft, question: question,
            selection: .init(
                categories: Set(body.categories ?? []), stages: Set(body.stages ?? []), interests: Set(body.interests ?? []),
                destination: MessageDestination(rawValue: body.destination?.rawValue ?? "email") ?? .email),
            checkedBy: try inForce(), at: clock())
        try await CampaignStore(vault: vault).create(campaign, actor: key.actor)
        return .created(.init(body: .json(try await campaignSchema(campaign.id))))
    }

    func getCampaign(_ input: Operations.GetCampaign.Input) async throws -> Operations.GetCampaign.Output {
        _ = try caller()
        return .ok(.init(body: .json(try await campaignSchema(try Self.campaignID(input.path.campaignId)))))
    }

    func sendCampaign(_ input: Operations.SendCampaign.Input) async throws -> Operations.SendCampaign.Output {
        let key = try caller()
        let id = try Self.campaignID(input.path.campaignId)
        let current = try inForce()
        let store = CampaignStore(vault: vault)
        guard let campaign = try await store.find(id) else { throw APIError(CampaignRefusal.notFound) }
        guard campaign.state == .draft else { throw APIError(CampaignRefusal.alreadySent) }
        if let refusal = current.marketing.refusal(for: campaign.question, categories: Array(campaign.selection.categories)) {
            throw APIError(refusal)
        }
        let resolution = try await store.audience(of: campaign, rule: current.marketing, at: clock())
        guard !resolution.recipients.isEmpty else { throw APIError(CampaignRefusal.audienceEmpty) }
        try await refusals { try await store.start(id, resolution: resolution, actor: key.actor, at: clock()) }
        return .accepted(.init(body: .json(try await campaignSchema(id))))
    }

    func getSubjectInbox(_ input: Operations.GetSubjectInbox.Input) async throws -> Operations.GetSubjectInbox.Output {
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let messages = try await refusals { try await vault.inbox(of: id, actor: key.actor, at: clock()) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        messages: messages.map {
                            .init(
                                campaign: $0.campaign.lowercasedString, subject: $0.subject, text: $0.text, html: $0.html, deliveredAt: $0.deliveredAt
                            )
                        }))))
    }

    func stopCampaign(_ input: Operations.StopCampaign.Input) async throws -> Operations.StopCampaign.Output {
        let key = try caller()
        let id = try Self.campaignID(input.path.campaignId)
        try await refusals { try await CampaignStore(vault: vault).stop(id, actor: key.actor, at: clock()) }
        return .ok(.init(body: .json(try await campaignSchema(id))))
    }

    func resumeCampaign(_ input: Operations.ResumeCampaign.Input) async throws -> Operations.ResumeCampaign.Output {
        let key = try caller()
        let id = try Self.campaignID(input.path.campaignId)
        try await refusals { try await CampaignStore(vault: vault).resume(id, actor: key.actor, at: clock()) }
        return .accepted(.init(body: .json(try await campaignSchema(id))))
    }

    static func question(purpose: String, channel: String, partner: String?) throws -> MarketingQuestion {
        guard let medium = MarketingMedium(rawValue: channel) else {
            throw APIError(.requestInvalidValue, message: "'\(channel)' is not a marketing channel.")
        }
        return MarketingQuestion(purpose: purpose, medium: medium, partner: partner)
    }

    static func campaignID(_ text: String) throws -> UUID {
        guard let id = UUID(canonical: text) else { throw APIError(.requestInvalidValue, message: "'\(text)' is not a campaign id (a UUID).") }
        return id
    }

    func campaignSchema(_ id: UUID) async throws -> Components.Schemas.Campaign {
        let store = CampaignStore(vault: vault)
        guard let campaign = try await store.find(id) else { throw APIError(CampaignRefusal.notFound) }
        return .init(
            model: campaign,
            kind: .init(rawValue: (registry.current?.marketing.kind(of: campaign.question.purpose) ?? .marketing).rawValue) ?? .marketing,
            progress: try await store.progress(of: id), exclusions: try await store.exclusions(of: id), results: try await store.results(of: id))
    }
}

extension Campaign {
    /// A draft checked against the declaration in force: refused, with its code, when it cannot go out as asked.
    init(
        _ draft: CampaignTemplate.Draft, question: MarketingQuestion, selection: MarketingAudience.Selection, resendOf: UUID? = nil,
        checkedBy current: DeclarationRegistry.Current, at instant: Date
    ) throws {
        if let refusal = (selection.destination == .inbox && question.medium != .email ? CampaignRefusal.inboxNotEmail : nil)
            ?? current.marketing.refusal(for: question, categories: Array(selection.categories))
            ?? current.marketing.tailoringRefusal(for: selection)
            ?? CampaignTemplate.refusal(draft, question: question, declaration: current.declaration, rule: current.marketing)
        {
            throw APIError(refusal)
        }
        // Parsed now, so a template the sender could not render is refused here, not at every message.
        for template in [draft.subject, draft.text] + (draft.html.map { [$0] } ?? []) {
            do {
                _ = try MustacheTemplate(string: template)
            } catch {
                throw APIError(CampaignRefusal.templateInvalid("\(error)"))
            }
        }
        self.init(
            question: question, selection: selection, subject: draft.subject, text: draft.text, html: draft.html, tracking: draft.tracking,
            resendOf: resendOf, createdAt: instant)
    }
}

extension Components.Schemas.Campaign {
    init(
        model campaign: Campaign, kind: KindPayload, progress: CampaignStore.Progress, exclusions: [String: Int], results: CampaignStore.Results
    ) {
        self.init(
            id: campaign.id.lowercasedString, purpose: campaign.question.purpose, channel: campaign.question.medium.rawValue,
            partner: campaign.question.partner, categories: campaign.selection.categories.sorted(), stages: campaign.selection.stages.sorted(),
            interests: campaign.selection.interests.isEmpty ? nil : campaign.selection.interests.sorted(),
            destination: .init(rawValue: campaign.selection.destination.rawValue),
            subject: campaign.subject, text: campaign.text, html: campaign.html, tracking: .init(rawValue: campaign.tracking.rawValue) ?? .none,
            kind: kind, resendOf: campaign.resendOf?.lowercasedString, state: .init(rawValue: campaign.state.rawValue) ?? .draft,
            createdAt: campaign.createdAt, startedAt: campaign.startedAt, progress: .init(additionalProperties: progress),
            exclusions: exclusions.sorted { $0.key < $1.key }.map {
                .init(code: $0.key, rule: MarketingRefusal.rule(forCode: $0.key) ?? "", count: $0.value)
            },
            results: .init(trackedIndividually: results.trackedIndividually, opened: results.opened, clicked: results.clicked))
    }
}

extension MarketingPermissionRule {
    /// Why `selection` may not choose people by interest (OEX-24); nil when it names no interests or may.
    func tailoringRefusal(for selection: MarketingAudience.Selection) -> CampaignRefusal? {
        selection.interests.isEmpty ? nil : tailoring.refusal()
    }
}
