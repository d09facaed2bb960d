import Foundation
import PledgeCore

extension RequestFulfilment {
    /// What fulfilling erasure case `id` would do in the organisation's systems, row by row, changing
    /// nothing (issue 30 §4: plan first): each database's plan carried out and rolled back, and the
    /// `http` systems named, as they are asked only when the erasure runs.
    public func previewErasure(_ id: UUID, declaration: Declaration, actor: String, at instant: Date) async throws -> [SystemErasureOutcome] {
        guard let request = try await register.find(id) else { throw CaseStoreRefusal.notFound }
        let state = try await request.subject.asyncFlatMap { try await vault.state(of: $0) }
        let plan = try FulfilmentPlan(for: request, subject: state, declaration: declaration)
        guard plan.steps.contains(.eraseInSystems) else { return [] }
        let systems = declaration.systems ?? []
        let email = try await verifiedEmail(of: id, actor: actor, at: instant)
        let planned = try await SystemErasure(databases: try connectedSystems()).plan(email: email, in: systems.filter(\.kind.isDatabase))
        return planned
            + systems.filter { $0.kind == .http }.map {
                SystemErasureOutcome(system: $0.id, systemName: $0.name, done: ["asked to erase when the erasure runs"], kept: [], leftovers: [])
            }
    }
}
