import Foundation
import Logging
import PledgeCore

/// The privacy centre's requests (C28, C29, C40): asking, which opens a case waiting for the
/// requester to confirm their email and sends them the link, and confirming, which verifies the
/// case, carries out what needs no judgement at once (`RequestKind.runsOnConfirmation`) and tells
/// them the answer or when it is due. The handlers call one method each.
public struct PrivacyCentreIntake: Sendable {
    let register: CaseRegister
    let outbox: Outbox
    let fulfilment: RequestFulfilment
    /// Where people reach the server, for the links in the letters.
    let publicURL: String
    let logger: Logger

    public init(register: CaseRegister, fulfilment: RequestFulfilment, publicURL: String, logger: Logger) {
        self.register = register
        self.outbox = Outbox(register: register)
        self.fulfilment = fulfilment
        self.publicURL = publicURL
        self.logger = logger
    }

    /// What asking did.
    public enum Submission: Sendable, Equatable {
        /// A new case, its link sent.
        case opened(RequestCase)
        /// The address already had a request waiting for confirmation: its link was sent again, and
        /// nothing new opened, so a stranger typing someone's address cannot fill the queue or their inbox.
        case resent(RequestCase)
    }

    /// Opens a request of `kind` from `email` (already checked as an address) and sends the link that confirms it.
    public func submit(
        _ kind: RequestKind, from email: String, name: String?, details: String?, organisation: String,
        clock: StatutoryClock, at now: Date
    ) async throws -> Submission {
        if let pending = try await register.pendingVerification(for: email, since: now.addingTimeInterval(-UnverifiedRequest.lifetime)) {
            let remaining = pending.timing.receivedAt.addingTimeInterval(UnverifiedRequest.lifetime).timeIntervalSince(now)
            let token = try await register.issueToken(for: pending.id, purpose: .verify, lifetime: remaining, at: now)
            try await send(
                RequestLetters.verification(
                    kind: pending.kind, link: verifyLink(token), organisation: organisation,
                    receivedOn: clock.day(of: pending.timing.receivedAt)), to: email, about: pending.id, at: now)
            return .resent(pending)
        }
        let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        let opened = try await register.open(
            RequestCase(kind: kind, channel: .privacyCentre, receivedAt: now),
            requester: Requester(name: trimmed?.isEmpty == false ? trimmed : nil, email: email, details: details),
            actor: "privacy-centre", clock: clock)
        let token = try await register.issueToken(for: opened.id, purpose: .verify, lifetime: UnverifiedRequest.lifetime, at: now)
        if kind.acknowledgedOnReceipt {
            // The letter below is the acknowledgement (DPA 2018 s.164A(3)(a)).
            _ = try await register.record(
                .acknowledge(note: "Acknowledged by email on receipt"), on: opened.id, actor: "privacy-centre", at: now, clock: clock)
        }
        try await send(
            RequestLetters.verification(kind: kind, link: verifyLink(token), organisation: organisation, receivedOn: clock.day(of: now)),
            to: email, about: opened.id, at: now)
        return .opened(opened)
    }

    /// What confirming did: the case as it stands and the key of the link that follows it.
    public struct Confirmation: Sendable {
        public var request: RequestCase
        public var followKey: String
    }

    /// Confirms the request a verify token names (once); nil when the token is unknown, used or expired.
    public func confirm(
        token: String, declaration: Declaration, noticeVersion: String, clock: StatutoryClock, at now: Date
    ) async throws -> Confirmation? {
        guard let id = try? await register.caseFor(token: token, purpose: .verify, at: now, consume: true), var found = try await register.find(id)
        else {
            return nil
        }
        if found.state == .awaitingVerification {
            found = try await register.record(
                .verify(.emailLink, note: "Link emailed to the address given"), on: id, actor: "requester", at: now, clock: clock)
        }
        let key = try await register.issueToken(for: id, purpose: .follow, lifetime: FulfilmentPlan.exportLifetime, at: now)
        if found.kind.runsOnConfirmation, found.state == .inProgress {
            do {
                found = try await fulfilment.fulfil(
                    id, declaration: declaration, noticeVersion: noticeVersion, clock: clock, actor: "pledge", at: now
                ).request
            } catch {
                // Left open for staff; the queue shows it with its due date.
                logger.warning("request \(id) not fulfilled automatically: \(error)")
            }
        }
        if let email = try await register.requester(of: id, actor: "pledge", at: now).email {
            try await send(
                RequestLetters.confirmed(
                    found, link: followLink(id, key: key), organisation: declaration.organisation.name, dueOn: found.dueOn(clock: clock, at: now)),
                to: email, about: id, at: now)
        }
        return Confirmation(request: found, followKey: key)
    }

    /// Tells the requester of a privacy-centre case that completed after they confirmed it (staff
    /// fulfilled it, or a slow system's callback did) what was done, with a fresh link to follow it
    /// and download what it holds (UK GDPR Art 12(3): information on action taken). Does nothing for
    /// another channel, whose requester staff answer by that channel, or for a case still open.
    public func tellCompleted(_ request: RequestCase, organisation: String, clock: StatutoryClock, at now: Date) async throws {
        guard request.channel == .privacyCentre, request.state == .completed,
            let email = try await register.requester(of: request.id, actor: "pledge", at: now).email
        else { return }
        let key = try await register.issueToken(for: request.id, purpose: .follow, lifetime: FulfilmentPlan.exportLifetime, at: now)
        try await send(
            RequestLetters.confirmed(
                request, link: followLink(request.id, key: key), organisation: organisation, dueOn: request.dueOn(clock: clock, at: now)),
            to: email, about: request.id, at: now)
    }

    private func followLink(_ id: UUID, key: String) -> String {
        "\(publicURL)/privacy-centre/requests/\(id.storedText)?key=\(key)"
    }

    private func verifyLink(_ token: String) -> String {
        "\(publicURL)/privacy-centre/verify?token=\(token)"
    }

    private func send(_ letter: RequestLetters.Letter, to email: String, about request: UUID, at now: Date) async throws {
        try await outbox.enqueue(OutgoingEmail(to: email, subject: letter.subject, text: letter.text), for: request, at: now)
    }
}
