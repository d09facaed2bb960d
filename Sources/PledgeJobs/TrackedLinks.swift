import Foundation
import PledgeCore

/// One message's links as its tracking tier has them (issue 28 §7; C19): untouched (none), tagged
/// with the campaign and no recipient token (aggregate: CLQ-19, CLQ-20), or each sent through a
/// redirect that names the person, with an open pixel (individual, only with their consent: CLQ-21).
struct TrackedLinks {
    let tier: EmailTracking
    let campaign: UUID
    let publicURL: String
    /// The signed token naming the recipient and campaign; used only at the individual tier.
    let token: String

    /// `template` with its links rewritten for the tier, numbered from `first`.
    func rewritten(_ template: String, first: Int, html: Bool) -> String {
        switch tier {
        case .none: template
        case .aggregate: EmailLinks.rewriting(template) { _, link in EmailLinks.tagged(link, campaign: campaign, html: html) }
        case .individual: EmailLinks.rewriting(template, first: first) { number, _ in "\(publicURL)/t/\(token)/c/\(number)" }
        }
    }

    /// The open pixel: only at the individual tier.
    var pixel: String {
        tier == .individual ? "<img src=\"\(publicURL)/t/\(token)/o\" width=\"1\" height=\"1\" alt=\"\">" : ""
    }
}

/// A campaign's render context with every text escaped for HTML by `HTMLText.escape`, at any depth
/// (the server's pages do the same through `PageContext`; this one holds only texts and nested contexts).
enum HTMLEscapedContext {
    static func escaped(_ context: [String: Any]) -> [String: Any] {
        context.mapValues { value in
            if let text = value as? String { return HTMLText.escape(text) }
            if let nested = value as? [String: Any] { return escaped(nested) }
            return value
        }
    }
}
