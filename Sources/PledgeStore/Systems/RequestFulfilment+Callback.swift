import Foundation
import PledgeCore

extension RequestFulfilment {
    /// What a callback did.
    public enum CallbackOutcome: Sendable, Equatable {
        /// The answer is stored and the case completed with it (the case as it now stands).
        case completed(RequestCase)
        /// The answer is stored; the case still waits (for other systems) or needs staff (`reason`, a code).
        case stored(reason: String)
    }

    /// A slow `http` system's answer posted to its callback (issue 30 §5): the signature checked
    /// with the system's secret (constant time, within the timestamp window), the answer stored
    /// once for the task it names, then the case fulfilled again as the system. A replay, an
    /// unknown task or a bad signature changes nothing.
    public func receiveAnswer(
        from systemID: String, body: Data, timestamp: String?, signature: String?, declaration: Declaration, noticeVersion: String,
        clock: StatutoryClock, at instant: Date
    ) async throws -> CallbackOutcome {
        // A system that is not declared is refused exactly as a bad signature is, so the callback
        // does not tell a stranger which system ids exist.
        guard let system = declaration.systems?.first(where: { $0.id == systemID && $0.kind == .http }) else {
            throw SystemRefusal.signatureInvalid
        }
        do {
            try SystemSignature.verify(
                body, timestamp: timestamp, signature: signature, secret: try connectedSystems().secret(for: system), now: instant)
        } catch is SystemSignature.Refusal {
            throw SystemRefusal.signatureInvalid
        }
        let answer: SystemAnswer
        do {
            answer = try SystemAnswer.decode(SystemAnswer.self, from: body)
        } catch {
            throw SystemRefusal.answerInvalid("JSON with status, request_id and action")
        }
        guard let id = answer.requestId, let action = answer.action else { throw SystemRefusal.answerInvalid("request_id and action are required") }
        guard answer.status == .done else { throw SystemRefusal.answerInvalid("status must be done") }
        guard try await SystemTasks(register: register).answer(answer, for: id, system: system.id, action: action, at: instant) else {
            throw SystemRefusal.notPending
        }
        do {
            let done = try await fulfil(
                id, declaration: declaration, noticeVersion: noticeVersion, clock: clock, actor: "system:\(system.id)", at: instant)
            return .completed(done.request)
        } catch let refusal as SystemRefusal {
            return .stored(reason: refusal.code)
        } catch let refusal as CaseRefusal {
            return .stored(reason: refusal.code)
        }
    }
}
