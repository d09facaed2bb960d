import Foundation
import PledgeCore

/// Carries out a verified request from the vault and closes its case with the answer the requester
/// receives (C30-C34; UK GDPR Arts 15-21): an export to download, an erasure receipt with what was
/// kept and why, a restriction, an objection with the processing it stopped.
public struct RequestFulfilment: Sendable {
    let vault: PersonalDataVault
    let register: CaseRegister

    /// How long an export can be downloaded.
    public static let exportLifetime: TimeInterval = 14 * 86_400

    public init(vault: PersonalDataVault, register: CaseRegister) {
        self.vault = vault
        self.register = register
    }

    /// What fulfilment did beside closing the case.
    public struct Result: Sendable {
        public var request: RequestCase
        public var erasure: ErasureReceipt?
        /// Recipients to tell of a rectification or erasure (Art 19).
        public var notify: [String] = []
    }

    /// Fulfils case `id` under `declaration`; kinds that need a person's judgement (rectification,
    /// complaints) are refused with `case.action-not-for-kind`.
    public func fulfil(_ id: UUID, declaration: Declaration, noticeVersion: String, clock: StatutoryClock, actor: String, at instant: Date) async throws -> Result {
        guard let request = try await register.find(id) else { throw CaseStoreRefusal.notFound }
        guard request.state == .inProgress else { throw CaseRefusal.transition(action: "fulfil", state: request.state) }
        var withheld: [Withholding] = []
        var erasure: ErasureReceipt?
        var notify: [String] = []
        let outcome: String
        var summary: SubjectSummary?
        if let subject = request.subject { summary = try await vault.summary(of: subject) }
        switch request.kind {
        case .access, .portability:
            guard let subject = summary?.id,
                  let records = try await vault.records(of: subject, purpose: "request:\(id.storedText)", actor: actor, at: instant) else {
                outcome = "We have searched our records and hold no personal data about you."
                break
            }
            let export = SubjectExport(records: records, request: id, kind: request.kind, receivedAt: request.timing.receivedAt,
                                       generatedAt: instant, declaration: declaration, withheld: request.withheld)
            let expires = instant.addingTimeInterval(Self.exportLifetime)
            try await register.storeExport(try await ExportPackage.zip(export), for: id, expires: expires, actor: actor, at: instant)
            outcome = "Your copy is ready: \(export.personalData.count) items of personal data with the information the law requires. The download link works until \(clock.day(of: expires))."
        case .erasure, .parentalDeletion:
            guard let subject = summary else {
                outcome = "We have searched our records and hold no personal data about you to erase."
                break
            }
            if subject.legalHold {
                // Art 17(3)(e): kept for legal claims, restricted meanwhile (Art 18(1)(c)).
                try await vault.apply(.restriction(true), to: subject.id, actor: actor, at: instant)
                withheld.append(Withholding(ground: "Legal claims (UK GDPR Art 17(3)(e))", detail: "Your data is needed for legal claims; it is kept, restricted to that use, until they end."))
                outcome = "We cannot erase your data yet because it is needed for legal claims. We have restricted it so it is only stored."
                break
            }
            let receipt = try await vault.erase(subject.id, reason: "request:\(id.storedText)", keeping: StatutoryRetention(declaration), actor: actor, at: instant)
            erasure = receipt
            notify = Self.recipients(of: subject.categories, in: declaration)
            withheld = receipt.kept.map { Withholding(ground: "Legal obligation to keep records (UK GDPR Art 17(3)(b))", detail: "\($0.values) item(s) kept for \($0.purpose): \($0.reason)") }
            outcome = receipt.kept.isEmpty
                ? "We have erased your data: \(receipt.values) items, \(receipt.interactions) records of contact."
                : "We have erased \(receipt.values) items and \(receipt.interactions) records of contact. The law requires us to keep some records; they are restricted to that use and erased when the period ends."
        case .restriction:
            guard let subject = summary else { outcome = "We hold no personal data about you to restrict."; break }
            try await vault.apply(.restriction(true), to: subject.id, actor: actor, at: instant)
            outcome = "We have restricted your data: we now only store it, or use it for legal claims, until you agree otherwise or the restriction ends (UK GDPR Art 18(2))."
        case .objection:
            guard let subject = summary else { outcome = "We hold no personal data about you."; break }
            // Art 21(1): processing on legitimate interests (or public task) stops unless compelling grounds are recorded.
            let objectable = declaration.purposes.filter { $0.basis?.carriesRightToObject == true }
            try await vault.apply(objectable.map { .objection(purpose: $0.id, compellingGrounds: nil) }, to: subject.id, actor: actor, at: instant)
            outcome = objectable.isEmpty
                ? "None of our processing of your data relies on legitimate interests, so there was nothing to stop."
                : "We have stopped using your data for: \(objectable.map(\.name).joined(separator: ", ")). This may mean we cannot do these things for you any more (OEX-23)."
        case .marketingOptOut:
            if let subject = summary {
                try await vault.apply(.marketingObjection, to: subject.id, actor: actor, at: instant)
            } else {
                try await vault.suppressMarketing(of: try register.contactDigest(of: id), actor: actor, at: instant)
            }
            outcome = "You will receive no more marketing from us (UK GDPR Art 21(3))."
        case .consentWithdrawal:
            guard let subject = summary, let state = try await vault.state(of: subject.id) else { outcome = "We hold no consents from you."; break }
            let events = state.consents.grantedPurposes.sorted().map {
                ConsentEvent.withdrawal(of: $0, by: subject.id, through: id, mechanism: "request", noticeVersion: noticeVersion, at: instant)
            }
            try await vault.record(events, actor: actor, at: instant)
            outcome = events.isEmpty ? "You had no consents in force." : "We have withdrawn your consent for: \(events.map(\.scope.purpose).joined(separator: ", "))."
        case .unpublish:
            guard let subject = summary, let state = try await vault.state(of: subject.id) else {
                outcome = "We hold no personal data about you, so none of it is on our website."
                break
            }
            let published = declaration.purposes.filter { $0.publishes == true && $0.concerns(Set(subject.categories)) }
            // The gate honours an objection to consent, legitimate-interests and public-task purposes (Art 21(1)); a
            // purpose on another basis (a contract, a legal duty) goes on, and the answer says so with its basis.
            let stoppable = published.filter { $0.basis == .consent || $0.basis?.carriesRightToObject == true }
            try await vault.apply(stoppable.map { .objection(purpose: $0.id, compellingGrounds: nil) }, to: subject.id, actor: actor, at: instant)
            try await vault.record(stoppable.filter { state.consents.status(purpose: $0.id).isGranted }.map {
                ConsentEvent.withdrawal(of: $0.id, by: subject.id, through: id, mechanism: "request", noticeVersion: noticeVersion, at: instant)
            }, actor: actor, at: instant)
            for kept in published where !stoppable.contains(kept) {
                let basis = kept.basis.map { "\($0.label) (UK GDPR \($0.article))" } ?? "no lawful basis we have declared"
                withheld.append(Withholding(ground: "Shown on the basis of \(basis)", detail: "\(kept.name) stays on our website; staff will explain why when they reply."))
            }
            outcome = stoppable.isEmpty
                ? "None of your details are shown on our website for a reason you can stop."
                : "We have taken your details off our website: \(stoppable.map(\.name).joined(separator: ", ")). Our pages check before they show anything about you, so this takes effect at once. Search engines may show old copies for a while; you can ask them to refresh or remove them."
        case .preferences:
            outcome = summary == nil
                ? "We hold no personal data about you, so there are no consents or preferences to change. To make sure we never send you marketing, ask us for no more marketing."
                : "Your consents and marketing preferences are below; you can change them there while this link works."
        case .rectification, .complaint:
            throw CaseRefusal.notForKind(action: "fulfil", kind: request.kind)
        }
        let closed = try await register.record(.complete(outcome: outcome, withheld: request.withheld + withheld), on: id, actor: actor, at: instant, clock: clock)
        return Result(request: closed, erasure: erasure, notify: notify)
    }

    /// Recipients of data about subjects of these categories, to be told of a change (Art 19).
    public static func recipients(of categories: [String], in declaration: Declaration) -> [String] {
        let names = Dictionary((declaration.recipients ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let ids = declaration.purposes.filter { !Set($0.subjects).isDisjoint(with: categories) }.flatMap { $0.recipients ?? [] }
        return Array(Set(ids.compactMap { names[$0] })).sorted()
    }
}
