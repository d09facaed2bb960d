/// A privacy notice as structured content, so that Markdown and HTML are two views of one text.
public struct NoticeDocument: Sendable, Equatable {
    public var title: String
    public var organisation: String
    public var version: String
    public var lastUpdated: CalendarDate
    public var effective: CalendarDate
    public var sections: [NoticeSection]
}

/// One section of the notice, tied to the article it satisfies.
public struct NoticeSection: Sendable, Equatable {
    /// Stable anchor, e.g. `rights`.
    public var id: String
    public var heading: String
    /// The UK GDPR provision the section answers (Art 13/14).
    public var article: String
    public var blocks: [NoticeBlock]
}

public enum NoticeBlock: Sendable, Equatable {
    case paragraph(String)
    case list([String])
    case table(header: [String], rows: [[String]])
}
