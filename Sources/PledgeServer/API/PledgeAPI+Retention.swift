import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// Retention that runs (issue 29 §1; C36): the plan, a run on demand, and legal holds. The schedule
/// is Core's (`RetentionSchedule`), read from the declaration in force; `RetentionSweep` runs it.
extension PledgeAPI {
    func getRetentionPlan(_ input: Operations.GetRetentionPlan.Input) async throws -> Operations.GetRetentionPlan.Output {
        _ = try caller()
        let plan = try await RetentionSweep(vault: vault).plan(try inForce().retention, at: input.query.at ?? clock())
        return .ok(.init(body: .json(.init(model: plan))))
    }

    func runRetention(_ input: Operations.RunRetention.Input) async throws -> Operations.RunRetention.Output {
        let key = try caller()
        let run = try await RetentionSweep(vault: vault).run(try inForce().retention, at: clock(), actor: key.actor)
        return .ok(.init(body: .json(.init(model: run))))
    }

    func listRetentionHolds(_ input: Operations.ListRetentionHolds.Input) async throws -> Operations.ListRetentionHolds.Output {
        _ = try caller()
        return .ok(.init(body: .json(.init(holds: try await RetentionHolds(vault: vault).all().map(Components.Schemas.RetentionHold.init)))))
    }

    func placeRetentionHold(_ input: Operations.PlaceRetentionHold.Input) async throws -> Operations.PlaceRetentionHold.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let scope = RetentionHold.Scope(rawValue: body.scope.rawValue) ?? .subject
        let hold = try await refusals {
            try await RetentionHolds(vault: vault).place(
                scope: scope, target: body.target, reason: body.reason, categories: try inForce().declaration.knownCategories, actor: key.actor,
                at: clock())
        }
        return .created(.init(body: .json(.init(model: hold))))
    }

    func liftRetentionHold(_ input: Operations.LiftRetentionHold.Input) async throws -> Operations.LiftRetentionHold.Output {
        let key = try caller()
        let id = try Self.registerID(input.path.holdId, of: "hold")
        let hold = try await refusals { try await RetentionHolds(vault: vault).lift(id, actor: key.actor, at: clock()) }
        return .ok(.init(body: .json(.init(model: hold))))
    }
}

extension Components.Schemas.RetentionHold {
    init(model hold: RetentionHold) {
        self.init(
            id: hold.id.lowercasedString, scope: .init(rawValue: hold.scope.rawValue) ?? .subject, target: hold.target,
            subjectId: hold.subject?.lowercasedString, reason: hold.reason, placedBy: hold.placedBy, placedAt: hold.placedAt,
            liftedBy: hold.liftedBy, liftedAt: hold.liftedAt, active: hold.isActive)
    }
}

extension Components.Schemas.RetentionPlan {
    init(model plan: RetentionPlan) {
        self.init(
            at: plan.at, due: plan.due,
            lines: plan.lines.map {
                .init(
                    kind: .init(rawValue: $0.kind.rawValue) ?? .values, name: $0.name, rule: $0.rule, howLong: $0.howLong,
                    action: .init(rawValue: $0.action.rawValue) ?? .delete, due: $0.due, held: $0.held)
            },
            holds: plan.holds.map(Components.Schemas.RetentionHold.init), flaggedSubjects: plan.flaggedSubjects,
            unscheduled: plan.unscheduled.sorted { $0.key < $1.key }.map { .init(purpose: $0.key, values: $0.value) })
    }
}

extension Components.Schemas.RetentionRun {
    init(model run: RetentionRun) {
        self.init(
            removed: .init(additionalProperties: run.removed), subjectsErased: run.subjectsErased, batches: run.batches,
            longestBatchMs: run.longestBatch * 1000)
    }
}
