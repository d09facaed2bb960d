import Crypto
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
        try Self.checkConsent(purpose: body.purpose, recipient: body.recipient, action: body.action.rawValue, mechanism: body.mechanism, in: current.declaration)
        let wordingHash: String
        switch (body.wording, body.wordingSha256) {
        case (let wording?, nil): wordingHash = SHA256.hex(wording)
        case (nil, let hash?) where hash.count == 64 && hash.allSatisfy(\.isHexDigit): wordingHash = hash.lowercased()
        default:
            throw APIError(status: .unprocessableContent, code: "consent.wording-missing",
                           message: "Give the exact wording shown (wording) or its SHA-256 in hex (wordingSha256): consent must be provable (UK GDPR Art 7(1)).")
        }
        let version = body.noticeVersion ?? current.notice.version
        // Only an older version needs a look-up; the one in force is known.
        if version != current.notice.version, try await notices.version(version) == nil {
            throw APIError(status: .unprocessableContent, code: "consent.notice-version-unknown", message: "No notice version '\(version)' was published.")
        }
        _ = try await state(of: id)
        let event = ConsentEvent(holder: .subject(id), scope: ConsentScope(purpose: body.purpose, recipient: body.recipient, channel: body.channel),
                                 action: body.action == .granted ? .granted : .withdrawn, mechanism: body.mechanism,
                                 noticeVersion: version, wordingHash: wordingHash, recordedAt: now)
        let sequences = try await refusals { try await vault.record([event], actor: key.actor, at: now) }
        return .created(.init(body: .json(Self.consentSchema(StoredConsentEvent(sequence: sequences.first ?? 0, event: event)))))
    }

    func listConsents(_ input: Operations.ListConsents.Input) async throws -> Operations.ListConsents.Output {
        let id = try Self.subjectID(input.path.subjectId)
        guard try await vault.summary(of: id) != nil else { throw Self.subjectNotFound }
        let events = try await vault.consentEvents(of: .subject(id))
        return .ok(.init(body: .json(.init(subject: id.lowercasedString, events: events.map(Self.consentSchema)))))
    }

    /// The purpose and recipient must be declared, and a grant must come from a clear affirmative
    /// act: consent is never inferred from use, submission or agreement to a policy (UK GDPR Art 4(11), Recital 32).
    static func checkConsent(purpose: String, recipient: String?, action: String, mechanism: String, in declaration: Declaration) throws {
        guard declaration.purposes.contains(where: { $0.id == purpose }) else {
            throw APIError(status: .unprocessableContent, code: "consent.purpose-unknown", message: "No purpose '\(purpose)' is declared.")
        }
        if let recipient, !(declaration.recipients ?? []).contains(where: { $0.id == recipient }) {
            throw APIError(status: .unprocessableContent, code: "consent.recipient-unknown", message: "No recipient '\(recipient)' is declared.")
        }
        if action == ConsentAction.granted.rawValue, ConsentMechanism(rawValue: mechanism)?.isInferred == true {
            throw APIError(status: .unprocessableContent, code: "consent.inferred",
                           message: "'\(mechanism)' is not consent: consent needs a clear affirmative act (UK GDPR Art 4(11)).")
        }
        guard (1...64).contains(mechanism.count) else {
            throw APIError(status: .unprocessableContent, code: "consent.mechanism-invalid", message: "The mechanism must be a short name such as opt_in_checkbox.")
        }
    }

    static func consentSchema(_ stored: StoredConsentEvent) -> Components.Schemas.ConsentRecord {
        let event = stored.event
        return .init(sequence: stored.sequence, purpose: event.scope.purpose, recipient: event.scope.recipient, channel: event.scope.channel,
                     action: event.action == .granted ? .granted : .withdrawn, mechanism: event.mechanism,
                     noticeVersion: event.noticeVersion, wordingSha256: event.wordingHash, recordedAt: event.recordedAt)
    }
}
