import Foundation
import PledgeCore
import PledgeStore

/// Subjects: create, find, show, change, object, erase (C04, C34, C35; UK GDPR Art 17, 18, 21).
extension PledgeAPI {
    func createSubject(_ input: Operations.CreateSubject.Input) async throws -> Operations.CreateSubject.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let declaration = try inForce().declaration
        let identifiers = try await refusals {
            try Self.identifiers(email: body.identifiers.email, phone: body.identifiers.phone, account: body.identifiers.account)
        }
        guard !identifiers.isEmpty else {
            throw APIError(.subjectIdentifierMissing, message: "Give at least one identifier: email, phone or account.")
        }
        if let refusal = SubjectClassification.refusal(categories: body.categories, stage: body.stage, in: declaration) { throw APIError(refusal) }
        let id = try await refusals {
            try await vault.createSubject(
                NewSubject(identifiers: identifiers, categories: body.categories, stage: body.stage), actor: key.actor, at: clock())
        }
        return .created(.init(body: .json(try await subjectSchema(id))))
    }

    func findSubject(_ input: Operations.FindSubject.Input) async throws -> Operations.FindSubject.Output {
        let key = try caller()
        let identifiers = try await refusals {
            try Self.identifiers(email: input.query.email, phone: input.query.phone, account: input.query.account)
        }
        guard identifiers.count == 1, let identifier = identifiers.first else {
            throw APIError(.requestInvalidQuery, message: "Give exactly one of email, phone or account.")
        }
        guard let id = try await vault.findSubject(identifier, actor: key.actor, at: clock()) else {
            throw APIError(.subjectNotFound, message: "No subject has this \(identifier.kind.rawValue).")
        }
        return .ok(.init(body: .json(try await subjectSchema(id))))
    }

    func getSubject(_ input: Operations.GetSubject.Input) async throws -> Operations.GetSubject.Output {
        .ok(.init(body: .json(try await subjectSchema(try Self.subjectID(input.path.subjectId)))))
    }

    func eraseSubject(_ input: Operations.EraseSubject.Input) async throws -> Operations.EraseSubject.Output {
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let receipt = try await refusals {
            try await vault.erase(
                id, reason: input.query.reason ?? "erasure request", keeping: StatutoryRetention(try inForce().declaration), actor: key.actor,
                at: clock())
        }
        return .ok(.init(body: .json(.init(model: receipt, subject: id))))
    }

    func changeSubject(_ input: Operations.ChangeSubject.Input) async throws -> Operations.ChangeSubject.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let now = clock()
        for permission in SubjectFlagAccess.permissions(child: body.child == true, legalHold: body.legalHold != nil)
        where !key.role.allows(permission) {
            throw APIError.roleRefused(key.role, needs: permission)
        }
        let declaration = try inForce().declaration
        let provenance = try body.provenance.map(ContactProvenance.init(schema:))
        if let provenance, let refusal = SubjectClassification.refusal(provenance: provenance, in: declaration) { throw APIError(refusal) }
        switch try await refusals({
            try SubjectFlagUpdate(
                child: body.child, restricted: body.restricted, legalHold: body.legalHold, stage: body.stage, provenance: provenance,
                digestFrequency: body.digestFrequency.flatMap { DigestFrequency(rawValue: $0.rawValue) })
        }) {
        case .eraseAsChild:
            let receipt = try await refusals {
                try await vault.erase(id, reason: "child below the minimum age", keeping: StatutoryRetention(declaration), actor: key.actor, at: now)
            }
            return .ok(.init(body: .json(.init(erased: .init(model: receipt, subject: id)))))
        case .change(let changes):
            if let stage = body.stage {
                guard let summary = try await vault.summary(of: id) else { throw Self.subjectNotFound }
                if let refusal = SubjectClassification.refusal(categories: summary.categories, stage: stage, in: declaration) {
                    throw APIError(refusal)
                }
            }
            try await refusals { try await vault.apply(changes, to: id, actor: key.actor, at: now) }
        }
        return .ok(.init(body: .json(.init(subject: try await subjectSchema(id)))))
    }

    func recordObjection(_ input: Operations.RecordObjection.Input) async throws -> Operations.RecordObjection.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let change: SubjectChange
        switch (body.purpose, body.allDirectMarketing == true) {
        case (nil, true):
            change = .marketingObjection
        case (let purpose?, false):
            guard try inForce().gate.knows(purpose: purpose) else {
                throw APIError(.purposeUnknown, status: .unprocessableContent, message: "No purpose '\(purpose)' is declared.")
            }
            change = .objection(purpose: purpose, compellingGrounds: body.compellingGrounds)
        default:
            throw APIError(.requestInvalidBody, message: "Give either a purpose or allDirectMarketing: true.")
        }
        try await refusals { try await vault.apply(change, to: id, actor: key.actor, at: clock()) }
        return .created(.init(body: .json(try await subjectSchema(id))))
    }

    // MARK: Helpers

    static let invalidBody = APIError(.requestInvalidBody, message: "The body must be JSON.")

    static func identifiers(email: String?, phone: String?, account: String?) throws -> [SubjectIdentifier] {
        var identifiers: [SubjectIdentifier] = []
        if let email { identifiers.append(try SubjectIdentifier(kind: .email, raw: email)) }
        if let phone { identifiers.append(try SubjectIdentifier(kind: .phone, raw: phone)) }
        if let account { identifiers.append(try SubjectIdentifier(kind: .account, raw: account)) }
        return identifiers
    }

    func subjectSchema(_ id: UUID) async throws -> Components.Schemas.Subject {
        guard let summary = try await vault.summary(of: id) else { throw Self.subjectNotFound }
        return .init(model: summary)
    }
}

extension Components.Schemas.Subject {
    /// A subject's categories, stage and flags as the API shows them.
    init(model summary: SubjectSummary) {
        self.init(
            id: summary.id.lowercasedString, categories: summary.categories, stage: summary.stage, stageChangedAt: summary.stageChangedAt,
            isChild: summary.isChild, restricted: summary.restricted, legalHold: summary.legalHold,
            provenance: summary.provenance.map(Components.Schemas.ContactProvenance.init(model:)), createdAt: summary.createdAt)
    }
}

extension Components.Schemas.ContactProvenance {
    init(model provenance: ContactProvenance) {
        self.init(
            obtained: .init(rawValue: provenance.obtained.rawValue) ?? .other, source: provenance.source, refusalOffered: provenance.refusalOffered,
            subscriber: .init(rawValue: provenance.subscriber.rawValue))
    }
}

extension ContactProvenance {
    /// The provenance a request gives; the schema's values are the model's, so a mismatch is a contract error.
    init(schema: Components.Schemas.ContactProvenance) throws {
        guard let obtained = ContactOrigin(rawValue: schema.obtained.rawValue),
            let subscriber = SubscriberKind(rawValue: schema.subscriber?.rawValue ?? SubscriberKind.individual.rawValue)
        else { throw APIError(.requestInvalidValue, message: "The provenance's obtained or subscriber is not one this version knows.") }
        self.init(obtained: obtained, source: schema.source, refusalOffered: schema.refusalOffered ?? false, subscriber: subscriber)
    }
}

extension Components.Schemas.ErasureReceipt {
    /// What an erasure of `subject` removed, as the API shows it.
    init(model receipt: ErasureReceipt, subject: UUID) {
        self.init(subject: subject.lowercasedString, values: receipt.values, identifiers: receipt.identifiers, interactions: receipt.interactions)
    }
}
