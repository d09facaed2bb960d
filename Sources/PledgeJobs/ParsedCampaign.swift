import Mustache
import PledgeCore
import PledgeStore

/// A campaign's subject, text and HTML templates with their links as one tracking tier has them,
/// parsed once. A batch parses them once per tier whose links name nobody (none, aggregate): parsing
/// them again for every message was a tenth of a send's time. An individual tier's links carry the
/// person's token, so theirs are parsed per message.
struct ParsedCampaign: Sendable {
    let subject: MustacheTemplate
    let text: MustacheTemplate
    let html: MustacheTemplate?

    /// `campaign`'s templates with their links rewritten by `links`; rendered as text, so the engine
    /// escapes nothing (HTML values are escaped by `HTMLText.escape` before they reach it).
    init(_ campaign: Campaign, links: TrackedLinks) throws {
        subject = try Self.parse(campaign.subject)
        text = try Self.parse(links.rewritten(campaign.text, first: 0, html: false))
        html = try campaign.html.map { try Self.parse(links.rewritten($0, first: EmailLinks.trackable(in: campaign.text).count, html: true)) }
    }

    /// `campaign`'s templates for each tier whose links name nobody.
    static func batch(_ campaign: Campaign, publicURL: String) throws -> [EmailTracking: ParsedCampaign] {
        var parsed: [EmailTracking: ParsedCampaign] = [:]
        for tier in [EmailTracking.none, .aggregate] {
            parsed[tier] = try ParsedCampaign(campaign, links: TrackedLinks(tier: tier, campaign: campaign.id, publicURL: publicURL, token: ""))
        }
        return parsed
    }

    private static func parse(_ template: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template)
    }
}
