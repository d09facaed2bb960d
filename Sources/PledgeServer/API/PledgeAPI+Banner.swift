import Foundation
import PledgeCore
import PledgeStore

/// The consent banner's side of the API (issue 4, C10/C11): what it asks, a visitor's answer as
/// proof in the ledger, and the visitor's own record.
extension PledgeAPI {
    func getBanner(_ input: Operations.GetBanner.Input) async throws -> Operations.GetBanner.Output {
        let banner = try inForce().banner
        let describe = { (technology: StorageTechnology) -> Components.Schemas.BannerTechnology in
            .init(
                id: technology.id, name: technology.name, kind: technology.kind.rawValue, party: technology.party.rawValue,
                provider: technology.provider, expiry: technology.expiry, hosts: technology.hosts, description: technology.description)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        version: banner.version, noticeVersion: banner.noticeVersion,
                        choices: banner.choices.map {
                            .init(
                                category: $0.category.rawValue, label: $0.category.label, runsWithoutChoice: $0.runsWithoutChoice,
                                technologies: $0.technologies.map(describe))
                        },
                        exempt: banner.exempt.map(describe)
                    ))))
    }

    func recordVisitorConsent(_ input: Operations.RecordVisitorConsent.Input) async throws -> Operations.RecordVisitorConsent.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let banner = try inForce().banner
        guard body.bannerVersion == banner.version else {
            throw APIError(
                .consentBannerOutdated,
                message:
                    "The banner answered (\(body.bannerVersion.prefix(12))) is not the one in force (\(banner.version.prefix(12))): ask again, so the proof matches the wording shown (UK GDPR Art 7(1))."
            )
        }
        let consentId = try body.consentId.map(Self.visitorID) ?? UUID().lowercasedString
        // Sec-GPC: "1" (Global Privacy Control); the page may also report navigator.globalPrivacyControl.
        let gpc = GlobalPrivacyControl.isOn(input.headers.secGPC) || body.gpc == true
        let now = clock()
        let events = try await refusals {
            try banner.events(
                answering: body.choices.additionalProperties, services: body.services?.additionalProperties ?? [:], gpc: gpc, visitor: consentId,
                at: now)
        }
        _ = try await refusals { try await vault.record(events, actor: "visitor", at: now) }
        return .created(
            .init(
                body: .json(
                    .init(
                        consentId: consentId, bannerVersion: banner.version, noticeVersion: banner.noticeVersion, gpc: gpc,
                        state: .init(additionalProperties: banner.state(of: events)),
                        services: .init(additionalProperties: banner.serviceState(of: events))
                    ))))
    }

    func getVisitorConsent(_ input: Operations.GetVisitorConsent.Input) async throws -> Operations.GetVisitorConsent.Output {
        let consentId = try Self.visitorID(input.path.consentId)
        let banner = try inForce().banner
        let stored = try await vault.consentEvents(of: .visitor(consentId))
        guard !stored.isEmpty else {
            throw APIError(.consentNotFound, message: "No consent record has the id '\(consentId)'.")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        consentId: consentId, bannerVersion: banner.version,
                        state: .init(additionalProperties: banner.state(of: stored.map(\.event))),
                        services: .init(additionalProperties: banner.serviceState(of: stored.map(\.event))),
                        events: stored.map(Components.Schemas.ConsentRecord.init(model:))
                    ))))
    }

    /// A visitor's consent id: a UUID that Pledge issued, in lower case.
    static func visitorID(_ text: String) throws -> String {
        guard let id = UUID(canonical: text) else {
            throw APIError(.requestInvalidConsentId, message: "'\(text.prefix(64))' is not a consent id (a UUID).")
        }
        return id.lowercasedString
    }
}
