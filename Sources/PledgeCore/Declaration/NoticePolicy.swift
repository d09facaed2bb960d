/// The privacy notice: its versions and how changes are brought to people's attention (C02).
public struct NoticePolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var title: String?
    public var scope: [String]?
    public var changePolicy: ChangePolicy?
    /// A separate cookie policy that describes the storage and access technologies, when they are
    /// not listed in this declaration (PECR reg 6(2)(a): the information exists, elsewhere).
    public var cookiePolicyUrl: String?
    /// The website links to sites others run: the notice says its owners' notices apply and a link endorses nothing.
    public var linksToOtherSites: Bool?
    /// Oldest first; the last entry describes this declaration.
    public var versions: [NoticeVersion]

    public static let schema: Schema = .object(
        description: "The privacy notice (C02).",
        properties: [
            .optional("title", .text("Title of the notice, default 'Privacy notice'.")),
            .optional("scope", .list("Domains, services or audiences the notice covers.", .text("A domain or audience."))),
            .optional("change_policy", ChangePolicy.schema),
            .optional(
                "cookie_policy_url",
                .string(description: "A separate cookie policy describing the technologies, when they are not listed here.", format: .url)),
            .optional(
                "links_to_other_sites",
                .flag("The website links to sites others run; the notice then says their notices apply and a link is no endorsement.")),
            .required("versions", .list("Versions, oldest first; the last one is this declaration.", NoticeVersion.schema)),
        ])

    /// The version this declaration publishes.
    public var current: NoticeVersion? { versions.last }
}

/// One published version of the notice.
public struct NoticeVersion: Codable, Sendable, Equatable, SchemaDescribed {
    public var version: String
    /// Nil for a notice that carries no date: flagged (L32), not refused; Pledge dates it the day it publishes it.
    public var published: CalendarDate?
    /// Nil means in force once published.
    public var effective: CalendarDate?
    public var lastUpdated: CalendarDate?
    public var summary: String?

    public static let schema: Schema = .object(
        description: "A notice version.",
        properties: [
            .required("version", .text("Version label, e.g. 2026-03 or 3.")),
            .optional("published", .date("Day it was published; without it the notice is dated the day Pledge publishes it (L32).")),
            .optional("effective", .date("Day it takes effect, default the publication day; a change notice shows until then.")),
            .optional("last_updated", .date("Last-updated date printed on the notice, default the publication day.")),
            .optional("summary", .text("What changed, in plain English.")),
        ])
}

extension NoticeVersion {
    /// The date the notice states (last updated, else published); nil when it states none (Art 12(1), 13(3): L32).
    public var statedDate: CalendarDate? { lastUpdated ?? published }

    /// The version's dates, with `day` (the day Pledge publishes it) standing in for any the declaration leaves out.
    public func dates(defaultingTo day: CalendarDate) -> NoticeDates {
        let published = published ?? day
        return NoticeDates(published: published, effective: effective ?? published, lastUpdated: lastUpdated ?? published)
    }
}

/// A notice version's dates, all known: what Pledge publishes and prints is always dated.
public struct NoticeDates: Sendable, Equatable {
    public let published: CalendarDate
    public let effective: CalendarDate
    public let lastUpdated: CalendarDate
}

/// How notice changes reach people (UK GDPR Art 13(3), Art 5(1)(a)).
public struct ChangePolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var advanceNoticeDays: Int?
    public var notify: [ChangeNotification]?
    /// True when the organisation treats continued use as acceptance of a change (unlawful, L08).
    public var deemedAcceptance: Bool?

    public static let schema: Schema = .object(
        description: "How changes to the notice are announced.",
        properties: [
            .optional("advance_notice_days", .integer(description: "Days between publication and effect.", minimum: 0)),
            .optional("notify", .list("Ways people are told of a change.", .oneOf(ChangeNotification.self, "A way of telling people."))),
            .optional("deemed_acceptance", .flag("True if continued use is treated as acceptance.")),
        ])
}

public enum ChangeNotification: String, Codable, Sendable, CaseIterable {
    case banner
    case email
    case postedOnly = "posted_only"
}
