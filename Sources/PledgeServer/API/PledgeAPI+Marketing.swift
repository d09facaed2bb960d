import Foundation
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
        guard let medium = MarketingMedium(rawValue: body.channel.rawValue) else {
            throw APIError(.requestInvalidValue, message: "'\(body.channel.rawValue)' is not a marketing channel.")
        }
        let question = MarketingQuestion(purpose: body.purpose, medium: medium, partner: body.partner)
        let categories = body.categories ?? []
        if let refusal = current.marketing.refusal(for: question, categories: categories) { throw APIError(refusal) }
        let audience = current.marketing.channel(for: question).map { Set(categories.isEmpty ? $0.audience : categories) } ?? []
        let resolution = try await MarketingAudience(vault: vault).resolve(
            question, selection: .init(categories: audience, stages: Set(body.stages ?? [])), rule: current.marketing, at: clock())
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
