/// Cookieless first-party statistics (C12, C13, C37): which declared purpose they serve (its
/// retention rule bounds how long raw events are kept), the smallest group a report may show, and
/// whether Global Privacy Control stops collection.
public struct AnalyticsSettings: Codable, Sendable, Equatable, SchemaDescribed {
    public var purpose: String
    public var minimumGroup: Int?
    public var honourGpc: Bool?
    public var sites: [String]?

    /// Cells with fewer visitors than this are suppressed in reports (ICO anonymisation guidance:
    /// small counts can single people out). Default 5.
    public var k: Int { minimumGroup ?? 5 }
    /// Default true: GPC is a general objection signal and honouring it costs the statistics little.
    public var honoursGPC: Bool { honourGpc ?? true }

    public static let schema: Schema = .object(
        description: "Cookieless first-party statistics (C12, C13, C37).",
        properties: [
            .required("purpose", .identifier("The purpose (purposes[].id) the statistics serve; its retention rule bounds raw events.")),
            .optional(
                "minimum_group",
                .integer(description: "Reports suppress cells with fewer visitors than this (k); default 5.", minimum: 2, maximum: 1000)),
            .optional("honour_gpc", .flag("Stop collecting for visitors whose browser sends Global Privacy Control; default true.")),
            .optional("sites", .list("Host names whose pages may be counted; default any.", .text("A host name, e.g. www.example.org."))),
        ])
}
