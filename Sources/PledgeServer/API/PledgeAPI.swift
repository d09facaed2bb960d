import Foundation
import Logging
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The JSON API and pages of the OpenAPI contract. Handlers translate HTTP to store and core calls
/// and back; the rules live below.
struct PledgeAPI: APIProtocol {
    let registry: DeclarationRegistry
    let notices: any NoticeRepository
    let database: PledgeDatabase
    let vault: PersonalDataVault
    let journal: Journal
    let audit: AuditTrail
    let pages: PageRenderer
    let traffic: TrafficCollector
    let statistics: TrafficStore
    let scripts: GeneratedScripts
    let cases: CaseRegister
    let fulfilment: RequestFulfilment
    /// The privacy centre's asking and confirming.
    let intake: PrivacyCentreIntake
    /// For the console's sign-in.
    let keys: APIKeyStore
    /// The console's sessions.
    let sessions: ConsoleSessions
    /// The privacy centre's limits per client and per recipient address.
    let submissions: SubmissionLimiter
    /// The address people reach the server at, for links in emails.
    let publicURL: String
    let logger: Logger
    let strict: Bool
    let clock: @Sendable () -> Date

    // MARK: Operations

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .plainText(HTTPBody("ok\n"))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        guard let current = registry.current else {
            return .serviceUnavailable(.init(body: .json(APIError(.notReadyDeclaration, message: "No declaration is in force.").schema)))
        }
        guard await database.isReachable() else {
            return .serviceUnavailable(.init(body: .json(APIError(.notReadyDatabase, message: "The database does not answer.").schema)))
        }
        // Only the kind of database: its path, host or user is no business of whoever asks (issue 24 finding 8).
        return .ok(
            .init(
                body: .json(.init(status: .ready, database: database.isPostgres ? .postgresql : .sqlite, declarationVersion: current.notice.version)))
        )
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        if let declaration = registry.current?.declaration {
            PledgeMetrics.reviews(ReviewDates.attention(declaration, on: CalendarDate(utc: clock())))
        }
        return .ok(.init(body: .plainText(HTTPBody(PledgeMetrics.exposition()))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(try OpenAPIDocument.text()))))
    }

    // MARK: Notices (C02)

    func listNotices(_ input: Operations.ListNotices.Input) async throws -> Operations.ListNotices.Output {
        let now = clock()
        let inForceNow = try await notices.inForce(at: now)?.version
        guard let at = input.query.at else {
            let versions = try await notices.all()
            return .ok(.init(body: .json(.init(versions: versions.map { summary($0, inForce: $0.version == inForceNow) }))))
        }
        guard let instant = Self.instant(at) else {
            return .badRequest(
                .init(
                    body: .json(
                        APIError(.requestInvalidDate, message: "'at' must be a day (YYYY-MM-DD) or an instant (RFC 3339), e.g. 2026-04-01.").schema)))
        }
        guard let notice = try await notices.inForce(at: instant) else {
            return .notFound(.init(body: .json(APIError(.noticeNotInForce, message: "No notice version was in force at \(at).").schema)))
        }
        return .ok(.init(body: .json(.init(at: at, versions: [summary(notice, inForce: notice.version == inForceNow)]))))
    }

    func getNotice(_ input: Operations.GetNotice.Input) async throws -> Operations.GetNotice.Output {
        guard let notice = try await notices.version(input.path.version) else {
            return .notFound(.init(body: .json(APIError(.noticeNotFound, message: "There is no notice version '\(input.path.version)'.").schema)))
        }
        let inForce = try await notices.inForce(at: clock())?.version == notice.version
        return .ok(.init(body: .json(.init(notice: summary(notice, inForce: inForce), markdown: notice.markdown, html: notice.html))))
    }

    // MARK: Admin

    func getDeclarationStatus(_ input: Operations.GetDeclarationStatus.Input) async throws -> Operations.GetDeclarationStatus.Output {
        guard let current = registry.current else {
            throw APIError(.notReadyDeclaration, message: "No declaration is in force.")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        version: current.notice.version, sha256: current.sha256, organisation: current.declaration.organisation.name,
                        findings: current.findings.map(Components.Schemas.Finding.init)
                    ))))
    }

    func publishDeclaration(_ input: Operations.PublishDeclaration.Input) async throws -> Operations.PublishDeclaration.Output {
        guard case .yaml(let body) = input.body,
            let yaml = try? await String(collecting: body, upTo: 1 << 20)
        else {
            return .badRequest(
                .init(body: .json(APIError(.requestInvalidBody, message: "The body must be the declaration as UTF-8 YAML, at most 1 MiB.").schema)))
        }
        do {
            let outcome = try await registry.publish(yaml: yaml, strict: strict)
            let findings = registry.current?.findings.map(Components.Schemas.Finding.init) ?? []
            switch outcome {
            case .published(let version):
                PledgeMetrics.publication("published")
                // C14: a notice publication is an admin action on the record.
                try await AuditTrail.record(
                    [
                        AuditRecord(
                            actor: try caller().actor, action: "declaration.publish", object: "declaration",
                            after: "\(version) \(registry.current?.sha256 ?? "")", at: clock())
                    ], in: journal)
                return .created(.init(body: .json(.init(outcome: .published, version: version, findings: findings))))
            case .unchanged(let version):
                PledgeMetrics.publication("unchanged")
                return .ok(.init(body: .json(.init(outcome: .unchanged, version: version, findings: findings))))
            }
        } catch let rejection as DeclarationRejection {
            PledgeMetrics.publication("rejected")
            let error = APIError(rejection)
            return error.status == .conflict ? .conflict(.init(body: .json(error.schema))) : .unprocessableContent(.init(body: .json(error.schema)))
        }
    }

    // MARK: Pages

    func getPrivacyPage(_ input: Operations.GetPrivacyPage.Input) async throws -> Operations.GetPrivacyPage.Output {
        let now = clock()
        let all = try await notices.all()
        let inForce = try await notices.inForce(at: now)
        guard let shown = inForce ?? all.last else {
            throw APIError(.notReadyDeclaration, message: "No notice has been published.")
        }
        return .ok(.init(body: .html(HTTPBody(try await noticePage(shown, inForce: inForce, all: all, now: now)))))
    }

    func getPrivacyVersionPage(_ input: Operations.GetPrivacyVersionPage.Input) async throws -> Operations.GetPrivacyVersionPage.Output {
        let now = clock()
        guard let notice = try await notices.version(input.path.version) else {
            let html = try pages.render(
                "not-found", await layoutContext(["message": "There is no published version '\(input.path.version)' of the privacy notice."]))
            return .notFound(.init(body: .html(HTTPBody(html))))
        }
        let inForce = try await notices.inForce(at: now)
        return .ok(.init(body: .html(HTTPBody(try await noticePage(notice, inForce: inForce, all: try await notices.all(), now: now)))))
    }

    // MARK: Helpers

    private func noticePage(_ shown: PublishedNotice, inForce: PublishedNotice?, all: [PublishedNotice], now: Date) async throws -> String {
        let today = CalendarDate(utc: now)
        // A version published but not yet in effect is announced on the current page (C02).
        let upcoming = all.filter { $0.publishedAt <= now && $0.effective > today && $0.version != shown.version }
            .min { $0.effective < $1.effective }
        var context: [String: Any] = [
            "title": "Privacy notice",
            "isNotice": true,
            "noticeHTML": TrustedHTML(shown.html),
            "history": all.map { notice -> [String: Any] in
                let status =
                    notice.version == inForce?.version ? "In force" : (notice.effective > today ? "Takes effect \(notice.effective)" : "Superseded")
                return [
                    "version": notice.version, "versionPath": notice.versionPath,
                    "published": CalendarDate(utc: notice.publishedAt).description,
                    "effective": notice.effective.description, "status": status,
                ]
            },
        ]
        if let upcoming, inForce?.version == shown.version {
            context["upcoming"] = [
                "version": upcoming.version, "versionPath": upcoming.versionPath, "effective": upcoming.effective.description,
                "summary": upcoming.summary ?? "",
            ]
        }
        if let inForce, inForce.version != shown.version {
            context["archived"] = ["version": shown.version]
        }
        return try pages.render("privacy", await layoutContext(context))
    }

    func layoutContext(_ context: [String: Any]) async -> [String: Any] {
        context.merging(layoutFields()) { _, layout in layout }
    }

    /// `texts` with the organisation's name and contact the layout shows.
    func layoutTexts(_ texts: [String: String]) -> [String: String] {
        texts.merging(layoutFields()) { _, layout in layout }
    }

    /// The organisation's name and contact, as the layout shows them.
    private func layoutFields() -> [String: String] {
        let organisation = registry.current?.declaration.organisation
        var fields = ["organisation": organisation?.name ?? "Pledge"]
        if let email = organisation?.contact.email { fields["contactEmail"] = email }
        return fields
    }

    private func summary(_ notice: PublishedNotice, inForce: Bool) -> Components.Schemas.NoticeSummary {
        let path = notice.versionPath
        return .init(
            version: notice.version, publishedAt: notice.publishedAt, effective: notice.effective.description, recordedAt: notice.recordedAt,
            summary: notice.summary, declarationSha256: notice.declarationSHA256, inForce: inForce,
            links: .init(_self: "/v1/notices/\(path)", page: "/privacy/versions/\(path)")
        )
    }

    /// A day is read as the end of that day (UTC), so a version effective that day counts.
    static func instant(_ text: String) -> Date? {
        if let day = CalendarDate(text) { return day.startOfDayUTC.addingTimeInterval(86_399) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
