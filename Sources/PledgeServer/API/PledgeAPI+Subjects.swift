import Foundation
import PledgeCore
import PledgeStore

/// Subjects: create, find, show, change, object, erase (C04, C34, C35; UK GDPR Art 17, 18, 21).
extension PledgeAPI {
    func createSubject(_ input: Operations.CreateSubject.Input) async throws -> Operations.CreateSubject.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let declaration = try inForce().declaration
        let identifiers = try await refusals { try Self.identifiers(email: body.identifiers.email, phone: body.identifiers.phone, account: body.identifiers.account) }
        guard !identifiers.isEmpty else {
            throw APIError(status: .unprocessableContent, code: "subject.identifier-missing", message: "Give at least one identifier: email, phone or account.")
        }
        try Self.checkCategories(body.categories, stage: body.stage, in: declaration)
        let id = try await refusals {
            try await vault.createSubject(NewSubject(identifiers: identifiers, categories: body.categories, stage: body.stage), actor: key.actor, at: clock())
        }
        return .created(.init(body: .json(try await subjectSchema(id))))
    }

    func findSubject(_ input: Operations.FindSubject.Input) async throws -> Operations.FindSubject.Output {
        let key = try caller()
        let identifiers = try await refusals { try Self.identifiers(email: input.query.email, phone: input.query.phone, account: input.query.account) }
        guard identifiers.count == 1, let identifier = identifiers.first else {
            throw APIError(status: .badRequest, code: "request.invalid-query", message: "Give exactly one of email, phone or account.")
        }
        guard let id = try await vault.findSubject(identifier, actor: key.actor, at: clock()) else {
            throw APIError(status: .notFound, code: "subject.not-found", message: "No subject has this \(identifier.kind.rawValue).")
        }
        return .ok(.init(body: .json(try await subjectSchema(id))))
    }

    func getSubject(_ input: Operations.GetSubject.Input) async throws -> Operations.GetSubject.Output {
        .ok(.init(body: .json(try await subjectSchema(try Self.subjectID(input.path.subjectId)))))
    }

    func eraseSubject(_ input: Operations.EraseSubject.Input) async throws -> Operations.EraseSubject.Output {
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let receipt = try await refusals { try await vault.erase(id, reason: input.query.reason ?? "erasure request", keeping: StatutoryRetention(try inForce().declaration), actor: key.actor, at: clock()) }
        return .ok(.init(body: .json(Self.receiptSchema(receipt, id))))
    }

    func changeSubject(_ input: Operations.ChangeSubject.Input) async throws -> Operations.ChangeSubject.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let now = clock()
        for permission in SubjectFlagAccess.permissions(child: body.child == true, legalHold: body.legalHold != nil) where !key.role.allows(permission) {
            throw APIError.roleRefused(key.role, needs: permission)
        }
        if body.child == true {
            // DPA 2018 s.9 and the declared age limit: data known to be a child's is erased at once (C35),
            // except what a statute requires to be kept (Art 17(3)(b)).
            let keeping = StatutoryRetention(try inForce().declaration)
            let receipt = try await refusals { try await vault.erase(id, reason: "child below the minimum age", keeping: keeping, actor: key.actor, at: now) }
            return .ok(.init(body: .json(.init(erased: Self.receiptSchema(receipt, id)))))
        }
        var changes: [SubjectChange] = []
        if let restricted = body.restricted { changes.append(.restriction(restricted)) }
        if let hold = body.legalHold { changes.append(.legalHold(hold)) }
        if let stage = body.stage {
            guard let summary = try await vault.summary(of: id) else { throw Self.subjectNotFound }
            try Self.checkCategories(summary.categories, stage: stage, in: try inForce().declaration)
            changes.append(.stage(stage))
        }
        guard !changes.isEmpty else {
            throw APIError(status: .badRequest, code: "request.invalid-body", message: "Give at least one of restricted, legalHold, child or stage.")
        }
        try await refusals { try await vault.apply(changes, to: id, actor: key.actor, at: now) }
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
                throw APIError(status: .unprocessableContent, code: "purpose.unknown", message: "No purpose '\(purpose)' is declared.")
            }
            change = .objection(purpose: purpose, compellingGrounds: body.compellingGrounds)
        default:
            throw APIError(status: .badRequest, code: "request.invalid-body", message: "Give either a purpose or allDirectMarketing: true.")
        }
        try await refusals { try await vault.apply(change, to: id, actor: key.actor, at: clock()) }
        return .created(.init(body: .json(try await subjectSchema(id))))
    }

    // MARK: Helpers

    static let invalidBody = APIError(status: .badRequest, code: "request.invalid-body", message: "The body must be JSON.")

    static func identifiers(email: String?, phone: String?, account: String?) throws -> [SubjectIdentifier] {
        var identifiers: [SubjectIdentifier] = []
        if let email { identifiers.append(try SubjectIdentifier(kind: .email, raw: email)) }
        if let phone { identifiers.append(try SubjectIdentifier(kind: .phone, raw: phone)) }
        if let account { identifiers.append(try SubjectIdentifier(kind: .account, raw: account)) }
        return identifiers
    }

    /// Subject categories must be declared, and a stage one of theirs (C04).
    static func checkCategories(_ categories: [String], stage: String?, in declaration: Declaration) throws {
        let declared = Dictionary(declaration.subjects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let unknown = categories.first(where: { declared[$0] == nil }) {
            throw APIError(status: .unprocessableContent, code: "subject.category-unknown",
                           message: "'\(unknown)' is not a declared subject category; declared: \(declaration.subjects.map(\.id).joined(separator: ", ")).")
        }
        if let stage {
            let stages = Set(categories.flatMap { declared[$0]?.stages ?? [] })
            guard stages.contains(stage) else {
                throw APIError(status: .unprocessableContent, code: "subject.stage-unknown",
                               message: "'\(stage)' is not a declared stage of these categories\(stages.isEmpty ? "" : "; declared: \(stages.sorted().joined(separator: ", "))").")
            }
        }
    }

    func subjectSchema(_ id: UUID) async throws -> Components.Schemas.Subject {
        guard let summary = try await vault.summary(of: id) else { throw Self.subjectNotFound }
        return .init(id: summary.id.lowercasedString, categories: summary.categories, stage: summary.stage, stageChangedAt: summary.stageChangedAt,
                     isChild: summary.isChild, restricted: summary.restricted, legalHold: summary.legalHold, createdAt: summary.createdAt)
    }

    static func receiptSchema(_ receipt: ErasureReceipt, _ id: UUID) -> Components.Schemas.ErasureReceipt {
        .init(subject: id.lowercasedString, values: receipt.values, identifiers: receipt.identifiers, interactions: receipt.interactions)
    }
}
