import FluentKit
import Foundation

/// Row of `notice_versions`.
final class NoticeVersionModel: Model, @unchecked Sendable {
    static let schema = "notice_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: String
    @Field(key: "published_at") var publishedAt: Date
    /// `YYYY-MM-DD`, so that string order is date order on both backends.
    @Field(key: "effective_on") var effectiveOn: String
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "summary") var summary: String?
    @Field(key: "declaration_sha256") var declarationSHA256: String
    @Field(key: "declaration_yaml") var declarationYAML: String
    @Field(key: "notice_markdown") var noticeMarkdown: String
    @Field(key: "notice_html") var noticeHTML: String

    init() {}
}
