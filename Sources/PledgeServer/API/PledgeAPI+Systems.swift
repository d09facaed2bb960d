import Foundation
import HTTPTypes
import OpenAPIRuntime
import PledgeCore
import PledgeStore

extension PledgeAPI {
    /// A slow `http` system's signed answer (issue 30 §5). Served by `SystemCallbackRoute`, which
    /// hands over the body's exact bytes, as the signature covers them; the generated layer would
    /// decode them first, so the contract's operation is left out of its registration.
    func receiveSystemAnswer(_ input: Operations.ReceiveSystemAnswer.Input) async throws -> Operations.ReceiveSystemAnswer.Output {
        // Only reached if the generated layer registers the operation again: a JSON string whose text is the signed answer.
        guard case .json(let text) = input.body else { throw APIError.unsupportedMediaType }
        return .ok(.init(body: .json(try await systemAnswer(from: input.path.systemId, body: Data(text.utf8), headers: [:]))))
    }

    /// Writes a rectification's corrections into the organisation's systems (C31; issue 30 §4).
    func correctInSystems(_ input: Operations.CorrectInSystems.Input) async throws -> Operations.CorrectInSystems.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedMediaType }
        let key = try caller()
        let current = try inForce()
        let found = try await requestCase(input.path.requestId)
        let known = current.declaration.knownCategories
        for correction in body.corrections where !known.contains(correction.category) {
            throw APIError(.requestInvalidValue, message: "'\(correction.category)' is not a data category the declaration knows.")
        }
        let changes = try await refusals {
            try await fulfilment.correct(
                found.id, with: body.corrections.map { SystemCorrection(category: $0.category, value: $0.value) }, declaration: current.declaration,
                actor: key.actor, at: clock())
        }
        return .ok(.init(body: .json(.init(systems: changes.map { .init(system: $0.system, name: $0.systemName, done: $0.done) }))))
    }

    /// The dry run of an erasure in the organisation's systems (issue 30 §4).
    func previewErasureInSystems(_ input: Operations.PreviewErasureInSystems.Input) async throws -> Operations.PreviewErasureInSystems.Output {
        let key = try caller()
        let current = try inForce()
        let found = try await requestCase(input.path.requestId)
        let planned = try await refusals {
            try await fulfilment.previewErasure(found.id, declaration: current.declaration, actor: key.actor, at: clock())
        }
        return .ok(
            .init(body: .json(.init(systems: planned.map { .init(system: $0.system, name: $0.systemName, done: $0.done, kept: $0.kept) }))))
    }

    /// Checks, stores and acts on a system's answer; the receipt says whether the case completed.
    func systemAnswer(from systemID: String, body: Data, headers: HTTPFields) async throws -> Components.Schemas.SystemAnswerReceipt {
        let current = try inForce()
        let now = clock()
        let outcome = try await refusals {
            try await fulfilment.receiveAnswer(
                from: systemID, body: body, timestamp: headers[.pledgeTimestamp], signature: headers[.pledgeSignature],
                declaration: current.declaration, noticeVersion: current.notice.version, clock: current.statutoryClock, at: now)
        }
        switch outcome {
        case .completed(let request):
            try await intake.tellCompleted(request, organisation: current.declaration.organisation.name, clock: current.statutoryClock, at: now)
            return .init(outcome: .completed)
        case .stored(let reason): return .init(outcome: .stored, reason: reason)
        }
    }
}

extension HTTPField.Name {
    static let pledgeTimestamp = HTTPField.Name(SystemSignature.timestampHeader)!
    static let pledgeSignature = HTTPField.Name(SystemSignature.signatureHeader)!
}
