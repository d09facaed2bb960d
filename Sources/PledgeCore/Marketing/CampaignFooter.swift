/// The footer every campaign message ends with, made once for a campaign's batch: the sender's
/// identity and postal address (PECR reg 23(a)-(b)), then for a marketing message how to stop them
/// (PECR reg 23(c)) and where to choose what comes, for a service message why it comes whatever the
/// person's marketing choices (C16, OEX-37). Each message puts its own links in, as text and as HTML.
public struct CampaignFooter: Sendable {
    /// "Sent by …": the same in every message, linked in HTML once.
    let sender: String
    let senderHTML: String
    /// A service message's footer offers no unsubscribe: there is no marketing to stop.
    public let service: Bool

    static let serviceLine =
        "This is a service message about your account or something you asked for; it reaches you whatever your marketing choices."
    static let unsubscribeLine = "To stop these emails, unsubscribe: "
    static let preferencesLine = "To choose what we send you: "

    /// Nil when the declaration gives the organisation no postal address: no campaign goes without one.
    public init?(for organisation: Organisation, service: Bool) {
        guard let sender = CampaignTemplate.sender(organisation) else { return nil }
        self.sender = "Sent by \(sender)."
        self.senderHTML = HTMLText.linked(self.sender)
        self.service = service
    }

    /// The footer as plain text, after a `--` line.
    public func text(unsubscribeURL: String, preferencesURL: String = "") -> String {
        var lines = ["--", sender]
        if service {
            lines.append(Self.serviceLine)
        } else {
            lines.append(Self.unsubscribeLine + unsubscribeURL)
            if !preferencesURL.isEmpty { lines.append(Self.preferencesLine + preferencesURL) }
        }
        return lines.joined(separator: "\n")
    }

    /// The same footer as HTML: a rule, then its lines, each escaped byte by byte by `HTMLText`, the
    /// sender's addresses and the two links clickable.
    public func html(unsubscribeURL: String, preferencesURL: String = "") -> String {
        var lines = [senderHTML]
        if service {
            lines.append(HTMLText.escape(Self.serviceLine))
        } else {
            lines.append(HTMLText.escape(Self.unsubscribeLine) + Self.link(unsubscribeURL))
            if !preferencesURL.isEmpty { lines.append(HTMLText.escape(Self.preferencesLine) + Self.link(preferencesURL)) }
        }
        return "<hr>\n<p>" + lines.joined(separator: "<br>\n") + "</p>"
    }

    static func link(_ url: String) -> String {
        let escaped = HTMLText.escape(url)
        return "<a href=\"\(escaped)\">\(escaped)</a>"
    }
}
