import Foundation
import PledgeCore

extension RequestFulfilment {
    /// Writes staff's `corrections` for rectification case `id` into the organisation's systems
    /// (issue 30 §4; C31): the http systems asked first (one that answers later leaves the case
    /// waiting, `system.pending`), then each database in its own transaction. The case stays open
    /// for staff to complete with their answer; the audit trail records which systems changed what
    /// (counts and field names, never the values).
    public func correct(
        _ id: UUID, with corrections: [SystemCorrection], declaration: Declaration, actor: String, at instant: Date
    ) async throws -> [SystemChange] {
        guard let request = try await register.find(id) else { throw CaseStoreRefusal.notFound }
        try SystemCorrection.allowed(for: request)
        let systems = declaration.systems ?? []
        guard !systems.isEmpty else { return [] }
        let email = try await verifiedEmail(of: id, actor: actor, at: instant)
        let answers = try await asking(.rectification, case: id, email: email, of: systems, corrections: corrections, at: instant)
        var changes = try await SystemRectification(databases: try connectedSystems()).correct(email: email, with: corrections, in: systems)
        changes += answers.map { SystemChange(system: $0.id, systemName: $0.name, done: $1.done ?? []) }
        try await register.journal.commit(
            JournalUnit(
                audit: changes.map {
                    AuditRecord(
                        actor: actor, action: "system.rectify", object: "request:\(id.storedText)",
                        field: "\($0.system): \($0.done.joined(separator: "; "))",
                        at: instant)
                }))
        return changes
    }
}
