import Foundation
import PledgeCore
import PledgeStore

/// The consent ledger over HTTP (C10).
extension PledgeAPI {
    func recordConsent(_ input: Operations.RecordConsent.Input) async throws -> Operations.RecordConsent.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let current = try inForce()
        let now = clock()
        let version = body.noticeVersion ?? current.notice.version
        let submission = ConsentSubmission(
            purpose: body.purpose, recipient: body.recipient, channel: body.channel, action: body.action == .granted ? .granted : .withdrawn,
            mechanism: body.mechanism, wording: body.wording, wordingSHA256: body.wordingSha256)
        let event = try await refusals { try submission.event(for: .subject(id), noticeVersion: version, in: current.declaration, at: now) }
        // Only an older version needs a look-up; the one in force is known.
        if version != current.notice.version, try await notices.version(version) == nil {
            throw APIError(.consentNoticeVersionUnknown, message: "No notice version '\(version)' was published.")
        }
        guard try await vault.exists(id) else { throw Self.subjectNotFound }
        let sequences = try await refusals { try await vault.record([event], actor: key.actor, at: now) }
        return .created(.init(body: .json(Components.Schemas.ConsentRecord(model: StoredConsentEvent(sequence: sequences.first ?? 0, event: event)))))
    }

    func listConsents(_ input: Operations.ListConsents.Input) async throws -> Operations.ListConsents.Output {
        let id = try Self.subjectID(input.path.subjectId)
        guard try await vault.summary(of: id) != nil else { throw Self.subjectNotFound }
        let events = try await vault.consentEvents(of: .subject(id))
        return .ok(.init(body: .json(.init(subject: id.lowercasedString, events: events.map(Components.Schemas.ConsentRecord.init(model:))))))
    }
}

extension Components.Schemas.ConsentRecord {
    /// A ledger entry as the API shows it.
    init(model stored: StoredConsentEvent) {
        let event = stored.event
        self.init(
            sequence: stored.sequence, purpose: event.scope.purpose, recipient: event.scope.recipient, channel: event.scope.channel,
            action: event.action == .granted ? .granted : .withdrawn, mechanism: event.mechanism,
            noticeVersion: event.noticeVersion, wordingSha256: event.wordingHash, recordedAt: event.recordedAt)
    }
}
