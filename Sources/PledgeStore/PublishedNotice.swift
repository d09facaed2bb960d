import Foundation
import PledgeCore

/// A notice version as published: the declaration it came from and the notice rendered from it.
public struct PublishedNotice: Sendable, Equatable {
    public var version: String
    /// `version` as one URL path segment (a "/" in a label encoded too), as `/privacy/versions/{version}`
    /// and `/v1/notices/{version}` read it: the pages, the API and the letters that link a notice use this.
    public var versionPath: String {
        version.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? version
    }
    public var publishedAt: Date
    public var effective: CalendarDate
    public var recordedAt: Date
    public var summary: String?
    public var declarationSHA256: String
    public var declarationYAML: String
    public var markdown: String
    public var html: String

    public init(
        version: String, publishedAt: Date, effective: CalendarDate, recordedAt: Date, summary: String?,
        declarationSHA256: String, declarationYAML: String, markdown: String, html: String
    ) {
        self.version = version
        self.publishedAt = publishedAt
        self.effective = effective
        self.recordedAt = recordedAt
        self.summary = summary
        self.declarationSHA256 = declarationSHA256
        self.declarationYAML = declarationYAML
        self.markdown = markdown
        self.html = html
    }

    /// True when this version had been published by `instant` and took effect on or before its day.
    public func isInForce(at instant: Date) -> Bool {
        publishedAt <= instant && effective <= CalendarDate(utc: instant)
    }
}
