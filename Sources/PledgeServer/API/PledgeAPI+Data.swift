import Foundation
import PledgeCore
import PledgeStore

/// Personal data in and out: collection checked against the declaration, reads filtered by the gate.
extension PledgeAPI {
    func collectData(_ input: Operations.CollectData.Input) async throws -> Operations.CollectData.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let current = try inForce()
        let now = clock()
        let route: CollectionSubmission.Route
        switch (body.form, body.purpose, body.source) {
        case (let form?, nil, nil): route = .form(form)
        case (nil, let purpose?, let source?): route = .direct(purpose: purpose, source: source)
        default:
            throw APIError(.requestInvalidBody, message: "Give either a form, or a purpose and a source.")
        }
        let submission = CollectionSubmission(
            route: route, fields: body.fields.additionalProperties, ageConfirmed: body.ageConfirmed, age: body.age,
            sourceReference: body.sourceReference)
        let plan = try await refusals { try current.collection.plan(submission, on: CalendarDate(utc: now)).get() }
        for request in plan.decisionRequests {
            try authorise(purpose: request.purpose, key: key, declaration: current.declaration)
        }
        // Data is collected only for a purpose the gate allows for this person now (C07-C10): the vault asks it.
        try await refusals {
            try await vault.collect(plan, for: id, gate: current.gate, noticeVersion: current.notice.version, actor: key.actor, at: now)
        }
        return .created(
            .init(
                body: .json(
                    .init(
                        subject: id.lowercasedString,
                        stored: plan.values.map { .init(field: $0.field, category: $0.category, purpose: $0.purpose) },
                        noticeVersion: current.notice.version, art14DueBy: plan.art14DueBy?.description))))
    }

    func readData(_ input: Operations.ReadData.Input) async throws -> Operations.ReadData.Output {
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        let current = try inForce()
        let purpose = input.query.purpose
        guard current.gate.knows(purpose: purpose) else {
            throw APIError(.purposeUnknown, message: "No purpose '\(purpose)' is declared.")
        }
        try authorise(purpose: purpose, key: key, declaration: current.declaration)
        let read = try await refusals {
            try await vault.values(of: id, purpose: purpose, recipient: Self.recipient(of: key), gate: current.gate, actor: key.actor, at: clock())
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        subject: id.lowercasedString, purpose: purpose,
                        values: read.values.map {
                            .init(
                                field: $0.field, category: $0.category, purpose: $0.purpose, source: $0.source, sourceReference: $0.sourceReference,
                                noticeVersion: $0.noticeVersion, collectedAt: $0.collectedAt, value: $0.value)
                        },
                        withheld: read.withheld.map {
                            .init(field: $0.origin.field, category: $0.origin.category, reasons: Self.reasons($0.decision.reasons))
                        }))))
    }

    func decide(_ input: Operations.Decide.Input) async throws -> Operations.Decide.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let current = try inForce()
        try authorise(purpose: body.purpose, key: key, declaration: current.declaration)
        let state = try await state(of: try Self.subjectID(body.subject))
        let decision = current.gate.decide(
            DecisionRequest(
                purpose: body.purpose, categories: body.categories ?? [], recipient: body.recipient ?? Self.recipient(of: key), channel: body.channel),
            for: state, at: clock())
        return .ok(.init(body: .json(.init(allowed: decision.isAllowed, reasons: Self.reasons(decision.reasons)))))
    }

    func addInteraction(_ input: Operations.AddInteraction.Input) async throws -> Operations.AddInteraction.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        if let retention = body.retention, try !inForce().declaration.retention.contains(where: { $0.id == retention }) {
            throw APIError(.interactionRetentionUnknown, message: "'\(retention)' is not a declared retention rule.")
        }
        if let purpose = body.purpose, try !inForce().declaration.purposes.contains(where: { $0.id == purpose }) {
            throw APIError(.purposeUnknown, status: .unprocessableContent, message: "No purpose '\(purpose)' is declared.")
        }
        let now = clock()
        let interaction = try await refusals {
            try await vault.addInteraction(
                to: id, kind: body.kind.rawValue, content: body.content, retention: body.retention, purpose: body.purpose, actor: key.actor, at: now)
        }
        return .created(
            .init(
                body: .json(
                    .init(
                        id: interaction.lowercasedString, kind: body.kind.rawValue, retention: body.retention, purpose: body.purpose,
                        recordedAt: now, actor: key.actor, content: body.content))))
    }

    func listInteractions(_ input: Operations.ListInteractions.Input) async throws -> Operations.ListInteractions.Output {
        let key = try caller()
        let id = try Self.subjectID(input.path.subjectId)
        guard try await vault.summary(of: id) != nil else { throw Self.subjectNotFound }
        let records = try await refusals {
            try await vault.interactions(of: id, role: key.role, purposes: key.purposes, actor: key.actor, at: clock())
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        subject: id.lowercasedString,
                        interactions: records.map {
                            .init(
                                id: $0.id.lowercasedString, kind: $0.kind, retention: $0.retention, purpose: $0.purpose, recordedAt: $0.recordedAt,
                                actor: $0.actor,
                                content: $0.content)
                        }))))
    }

    func getAuditTrail(_ input: Operations.GetAuditTrail.Input) async throws -> Operations.GetAuditTrail.Output {
        let entries = try await audit.entries(about: input.query.object)
        return .ok(
            .init(
                body: .json(
                    .init(
                        object: input.query.object,
                        entries: entries.map {
                            .init(
                                sequence: $0.sequence, at: $0.record.at, actor: $0.record.actor, action: $0.record.action, object: $0.record.object,
                                purpose: $0.record.purpose, field: $0.record.field, before: $0.record.before, after: $0.record.after,
                                previousHash: $0.previousHash, hash: $0.hash)
                        }))))
    }
}
