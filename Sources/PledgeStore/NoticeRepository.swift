import FluentKit
import Foundation
import PledgeCore

/// Stores published notice versions. Versions are immutable once stored.
public protocol NoticeRepository: Sendable {
    /// Stores `notice`; fails with `NoticeRepositoryError.versionExists` if its label is taken.
    func insert(_ notice: PublishedNotice) async throws
    func version(_ label: String) async throws -> PublishedNotice?
    /// Every version, newest publication first.
    func all() async throws -> [PublishedNotice]
    /// The version in force at `instant`: published by then, with the latest effective day not after it.
    func inForce(at instant: Date) async throws -> PublishedNotice?
}

public enum NoticeRepositoryError: Error, Equatable {
    case versionExists(String)
}

/// `NoticeRepository` on FluentKit (SQLite and PostgreSQL alike).
public struct FluentNoticeRepository: NoticeRepository {
    let database: PledgeDatabase

    public init(database: PledgeDatabase) { self.database = database }

    public func insert(_ notice: PublishedNotice) async throws {
        let db = database.db
        if try await NoticeVersionModel.query(on: db).filter(\.$version == notice.version).count() > 0 {
            throw NoticeRepositoryError.versionExists(notice.version)
        }
        let row = NoticeVersionModel()
        row.version = notice.version
        row.publishedAt = notice.publishedAt
        row.effectiveOn = notice.effective.description
        row.recordedAt = notice.recordedAt
        row.summary = notice.summary
        row.declarationSHA256 = notice.declarationSHA256
        row.declarationYAML = notice.declarationYAML
        row.noticeMarkdown = notice.markdown
        row.noticeHTML = notice.html
        do {
            try await row.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Lost a race with another node publishing the same label.
            throw NoticeRepositoryError.versionExists(notice.version)
        }
    }

    public func version(_ label: String) async throws -> PublishedNotice? {
        try await NoticeVersionModel.query(on: database.db).filter(\.$version == label).first().map(Self.record)
    }

    public func all() async throws -> [PublishedNotice] {
        try await NoticeVersionModel.query(on: database.db).sort(\.$publishedAt, .descending).sort(\.$recordedAt, .descending).all().map(Self.record)
    }

    public func inForce(at instant: Date) async throws -> PublishedNotice? {
        try await NoticeVersionModel.query(on: database.db)
            .filter(\.$publishedAt <= instant)
            .filter(\.$effectiveOn <= CalendarDate(utc: instant).description)
            .sort(\.$effectiveOn, .descending)
            .sort(\.$publishedAt, .descending)
            .first()
            .map(Self.record)
    }

    static func record(_ row: NoticeVersionModel) -> PublishedNotice {
        PublishedNotice(
            version: row.version, publishedAt: row.publishedAt, effective: CalendarDate(row.effectiveOn) ?? CalendarDate(utc: row.publishedAt),
            recordedAt: row.recordedAt, summary: row.summary, declarationSHA256: row.declarationSHA256,
            declarationYAML: row.declarationYAML, markdown: row.noticeMarkdown, html: row.noticeHTML
        )
    }
}
