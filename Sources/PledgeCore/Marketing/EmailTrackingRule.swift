import Foundation

/// Email tracking tiers per campaign and per person (issue 28 §7; C19; PECR reg 6 as amended by the
/// DUAA 2025, ICO guidance on storage and access technologies: tracking pixels and personal links
/// read from the recipient's device and need their consent). A campaign asks for a tier up to the one
/// its channel declares; each person gets the individual tier only while their consent to the channel's
/// tracking purpose stands, and the aggregate tier otherwise; service messages get none (CLQ-18).
extension MarketingPermissionRule {
    /// Why `question` may not be tracked at `asked`; nil when it may.
    public func trackingRefusal(_ asked: EmailTracking, for question: MarketingQuestion) -> CampaignRefusal? {
        guard asked != .none else { return nil }
        if kind(of: question.purpose) == .service { return .serviceTracked }
        let channel = channel(for: question)
        let declared = channel?.tracking ?? .none
        guard asked <= declared else { return .trackingNotDeclared(asked: asked, declared: declared) }
        if asked == .individual, channel?.trackingPurpose == nil { return .trackingPurposeMissing }
        return nil
    }

    /// The tier one person gets in a campaign that asked for `asked`: individual only with their
    /// tracking consent in `consents` (CLQ-21); withdrawing it leaves their marketing permission alone.
    public func tracking(_ asked: EmailTracking, for question: MarketingQuestion, consents: ConsentState) -> EmailTracking {
        guard kind(of: question.purpose) == .marketing else { return .none }
        guard asked == .individual else { return asked }
        guard let purpose = channel(for: question)?.trackingPurpose, consents.status(purpose: purpose).isGranted else { return .aggregate }
        return .individual
    }

    /// The purpose whose consent allows individual tracking on `question`'s channel.
    public func trackingPurpose(for question: MarketingQuestion) -> String? { channel(for: question)?.trackingPurpose }
}

/// The links in a campaign's templates, and how each tier rewrites them (C19). Only a link written
/// out in the template is tracked or tagged; one with a Mustache tag inside is the person's own and
/// is left as it is. A click redirect names a link by its number, so it can only lead where the
/// campaign's own template leads: never an open redirect.
public enum EmailLinks {
    /// The http(s) links of `template` that are tracked, in order.
    public static func trackable(in template: String) -> [String] {
        ranges(in: template).map { String(template[$0]) }
    }

    /// `template` with each trackable link replaced by `transform(number, link)`, numbers from `first`.
    public static func rewriting(_ template: String, first: Int = 0, _ transform: (Int, String) -> String) -> String {
        var result = "", last = template.startIndex, number = first
        for range in ranges(in: template) {
            result += template[last..<range.lowerBound] + transform(number, String(template[range]))
            last = range.upperBound
            number += 1
        }
        return result + template[last...]
    }

    /// Link `number` of a campaign, numbered over its text body and then its HTML body, as the
    /// browser follows it; nil when there is no such link.
    public static func link(_ number: Int, text: String, html: String?) -> String? {
        let links = trackable(in: text), htmlLinks = trackable(in: html ?? "")
        guard number >= 0 else { return nil }
        if number < links.count { return links[number] }
        guard number - links.count < htmlLinks.count else { return nil }
        return followed(htmlLinks[number - links.count], html: true)
    }

    /// `url` tagged for the aggregate tier (CLQ-19, CLQ-20): which campaign, never who.
    public static func tagged(_ url: String, campaign: UUID, html: Bool) -> String {
        let tags = ["utm_source=pledge", "utm_medium=email", "utm_campaign=\(campaign.uuidString.lowercased())"]
        let (base, fragment) = url.firstIndex(of: "#").map { (url[..<$0], url[$0...]) } ?? (Substring(url), "")
        let separator = html ? "&amp;" : "&"
        return base + (base.contains("?") ? separator : "?") + tags.joined(separator: separator) + fragment
    }

    /// A link as the browser follows it: an HTML template writes `&` as `&amp;`.
    public static func followed(_ link: String, html: Bool) -> String {
        html ? link.replacingOccurrences(of: "&amp;", with: "&") : link
    }

    private static let endings: Set<Character> = [" ", "\t", "\n", "\r", "\"", "'", "<", ">", "`"]
    private static let trailing: Set<Character> = [".", ",", ";", ":", "!", "?", ")"]

    private static func ranges(in template: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var rest = template.startIndex
        while let start = nextLink(in: template, from: rest) {
            var end = template[start...].firstIndex(where: endings.contains) ?? template.endIndex
            while end > start, trailing.contains(template[template.index(before: end)]) { end = template.index(before: end) }
            rest = end
            let link = template[start..<end]
            if !link.contains("{{"), !link.contains("}}"), link.count > "https://".count { found.append(start..<end) }
        }
        return found
    }

    /// Where the next `http://` or `https://` (any case) starts at or after `index`. Scanned byte by
    /// byte: it runs for every message, and Foundation's case-insensitive search was a tenth of a send.
    private static func nextLink(in template: String, from index: String.Index) -> String.Index? {
        let bytes = template.utf8
        var position = index
        while position < bytes.endIndex {
            if bytes[position] | 0x20 == UInt8(ascii: "h"), startsLink(bytes[position...]) { return position }
            position = bytes.index(after: position)
        }
        return nil
    }

    /// Whether `bytes` begins with `http://` or `https://`, in any case.
    private static func startsLink(_ bytes: Substring.UTF8View) -> Bool {
        var rest = bytes.makeIterator()
        for expected in "http".utf8 {
            guard let byte = rest.next(), byte | 0x20 == expected else { return false }
        }
        var next = rest.next()
        if let byte = next, byte | 0x20 == UInt8(ascii: "s") { next = rest.next() }
        return next == UInt8(ascii: ":") && rest.next() == UInt8(ascii: "/") && rest.next() == UInt8(ascii: "/")
    }
}
