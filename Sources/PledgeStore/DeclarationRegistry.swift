import Crypto
import Foundation
import NIOConcurrencyHelpers
import PledgeCore

/// The declaration in force in this process, and how a new one is published: validated, linted,
/// rendered and stored as an immutable notice version, then swapped in without a restart.
public actor DeclarationRegistry {
    /// What is in force now. A class, so that every request reading it takes one reference
    /// instead of copying (and retaining) each part of a large declaration.
    public final class Current: Sendable {
        public let declaration: Declaration
        /// Legal findings at the time it was published.
        public let findings: [Finding]
        public let sha256: String
        public let notice: PublishedNotice
        /// The processing gate built from this declaration, shared by every feature.
        public let gate: ProcessingGate
        /// The collection checks built from this declaration.
        public let collection: CollectionPolicy
        /// What the consent banner asks, for this declaration and notice version.
        public let banner: BannerPolicy
        /// Deadlines in the organisation's time zone and bank-holiday calendar, resolved once.
        public let statutoryClock: StatutoryClock
        /// Who may receive which marketing, built from the declaration's channels.
        public let marketing: MarketingPermissionRule

        /// Purposes this declaration adds to the notice in force, and the day they may start (issue 29 §5).
        public let introduced: [String: CalendarDate]
        /// How long each kind of item is kept, read from this declaration (issue 29 §1).
        public let retention: RetentionSchedule

        init(declaration: Declaration, findings: [Finding], sha256: String, notice: PublishedNotice, introduced: [String: CalendarDate] = [:]) {
            self.declaration = declaration
            self.findings = findings
            self.sha256 = sha256
            self.notice = notice
            self.introduced = introduced
            gate = ProcessingGate(declaration, introduced: introduced)
            collection = CollectionPolicy(declaration)
            banner = BannerPolicy(declaration, noticeVersion: notice.version)
            statutoryClock = StatutoryClock(organisation: declaration.organisation)
            marketing = MarketingPermissionRule(declaration)
            retention = RetentionSchedule(declaration)
        }
    }

    /// The result of a publication.
    public enum Outcome: Sendable, Equatable {
        /// A new notice version was stored.
        case published(version: String)
        /// The same declaration was already published under this version.
        case unchanged(version: String)
    }

    private let notices: any NoticeRepository
    private let clock: @Sendable () -> Date
    /// Written only by `publish` (the actor serialises publications); read by every request.
    private nonisolated let inForce = NIOLockedValueBox<Current?>(nil)

    /// What is in force now. Readable without an actor hop: every gate decision reads it.
    public nonisolated var current: Current? { inForce.withLockedValue { $0 } }

    public init(notices: any NoticeRepository, clock: @escaping @Sendable () -> Date = Date.init) {
        self.notices = notices
        self.clock = clock
    }

    /// Validates, lints and publishes `yaml`. With `strict`, legal errors refuse the publication too.
    /// Nothing is stored and the current declaration stays in force when this throws.
    @discardableResult
    public func publish(yaml: String, strict: Bool) async throws -> Outcome {
        let now = clock()
        let loaded = DeclarationLoader.load(yaml: yaml)
        guard loaded.isUsable, let declaration = loaded.declaration, let version = declaration.notice.current else {
            throw DeclarationRejection.invalid(loaded.findings)
        }
        let findings = Linter(today: CalendarDate(utc: now)).lint(declaration, document: loaded.document)
        if strict, findings.contains(where: { $0.severity == .error }) {
            throw DeclarationRejection.legalErrors(findings)
        }
        let sha = SHA256.hex(yaml)

        let outcome: Outcome
        let notice: PublishedNotice
        if let existing = try await notices.version(version.version) {
            guard existing.declarationSHA256 == sha else { throw DeclarationRejection.versionExists(version.version) }
            notice = existing
            outcome = .unchanged(version: version.version)
        } else {
            let today = CalendarDate(utc: now)
            let document = NoticeComposer(declaration: declaration, publishedOn: today).compose()
            // The declared publication day is the record, but nothing is back-dated past now; an undated notice is dated today.
            let dates = version.dates(defaultingTo: today)
            let published = min(dates.published.startOfDayUTC, now)
            let fresh = PublishedNotice(
                version: version.version, publishedAt: published, effective: dates.effective, recordedAt: now,
                summary: version.summary, declarationSHA256: sha, declarationYAML: yaml,
                markdown: NoticeWriter.markdown(document), html: NoticeWriter.htmlFragment(document)
            )
            do {
                try await notices.insert(fresh)
                notice = fresh
                outcome = .published(version: version.version)
            } catch NoticeRepositoryError.versionExists(let label) {
                // Another node published the same label meanwhile (issue 27 §1): the same file is no change.
                guard let stored = try await notices.version(label), stored.declarationSHA256 == sha else {
                    throw DeclarationRejection.versionExists(label)
                }
                notice = stored
                outcome = .unchanged(version: label)
            }
        }
        // A purpose the notice in force does not list waits for the notice that does (Art 13(3)).
        var previous: Declaration?
        if let inForce = try await notices.inForce(at: now), inForce.version != notice.version {
            previous = DeclarationLoader.load(yaml: inForce.declarationYAML).declaration
        }
        let introduced = PurposeIntroduction.startDays(
            of: declaration, effective: notice.effective, previous: previous, today: CalendarDate(utc: now))
        let published = Current(declaration: declaration, findings: findings, sha256: sha, notice: notice, introduced: introduced)
        inForce.withLockedValue { $0 = published }
        return outcome
    }
}

/// Why a declaration was not published. Each case has a stable code.
public enum DeclarationRejection: Error, Sendable, Equatable {
    /// The file cannot be used: YAML, schema or reference errors.
    case invalid([Finding])
    /// `--strict` and the linter found legal errors.
    case legalErrors([Finding])
    /// The notice version label is already published with different content.
    case versionExists(String)

    public var code: String {
        switch self {
        case .invalid: "declaration.invalid"
        case .legalErrors: "declaration.legal-errors"
        case .versionExists: "declaration.version-exists"
        }
    }

    public var message: String {
        switch self {
        case .invalid(let findings):
            "The declaration is not valid (\(findings.count) problem\(findings.count == 1 ? "" : "s"))."
        case .legalErrors(let findings):
            "The declaration has \(findings.filter { $0.severity == .error }.count) legal error(s), and strict mode refuses it."
        case .versionExists(let version):
            "Notice version '\(version)' is already published with different content. Published versions cannot change: add a new entry to notice.versions."
        }
    }

    public var findings: [Finding] {
        switch self {
        case .invalid(let findings), .legalErrors(let findings): findings
        case .versionExists: []
        }
    }
}
