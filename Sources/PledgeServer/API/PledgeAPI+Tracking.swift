import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// Email tracking (issue 28 §7; C19): a message's open pixel and click redirects, which record
/// anything only for a message sent tracked individually and only while the person's tracking consent
/// stands (CLQ-21); and a resend to the people known not to have opened a campaign (CLQ-23).
extension PledgeAPI {
    /// A transparent 1x1 GIF.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01,
        0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    func trackOpen(_ input: Operations.TrackOpen.Input) async throws -> Operations.TrackOpen.Output {
        if case .success(let token) = unsubscribeToken(input.path.token, tracking: true), let current = registry.current {
            try await CampaignStore(vault: vault).record(
                .open, campaign: token.campaign, subject: token.subject, rule: current.marketing, at: clock())
        }
        return .ok(.init(body: .imageGif(HTTPBody(Self.pixel))))
    }

    func trackClick(_ input: Operations.TrackClick.Input) async throws -> Operations.TrackClick.Output {
        let store = CampaignStore(vault: vault)
        guard case .success(let token) = unsubscribeToken(input.path.token, tracking: true), let campaign = try await store.find(token.campaign),
            let link = EmailLinks.link(input.path.link, text: campaign.text, html: campaign.html)
        else {
            let page = try pages.render(
                "message", await layoutContext(["title": "Link not valid", "message": "This link is not valid (tracking.link-invalid)."]))
            return .notFound(.init(body: .html(HTTPBody(page))))
        }
        try await store.record(.click, campaign: token.campaign, subject: token.subject, rule: try inForce().marketing, at: clock())
        return .found(.init(headers: .init(location: link)))
    }

    func resendCampaign(_ input: Operations.ResendCampaign.Input) async throws -> Operations.ResendCampaign.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let store = CampaignStore(vault: vault)
        guard let first = try await store.find(try Self.campaignID(input.path.campaignId)) else { throw APIError(CampaignRefusal.notFound) }
        guard first.tracking == .individual else { throw APIError(CampaignRefusal.notTrackedIndividually) }
        let draft = CampaignTemplate.Draft(
            subject: body.subject ?? first.subject, text: body.text ?? first.text, html: body.html ?? first.html, tracking: first.tracking)
        let campaign = try Campaign(
            draft, question: first.question, selection: first.selection, resendOf: first.id, checkedBy: try inForce(), at: clock())
        try await store.create(campaign, actor: key.actor)
        return .created(.init(body: .json(try await campaignSchema(campaign.id))))
    }
}
