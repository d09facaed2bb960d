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

/// The console's retention page (issue 29 §1, §7): the schedule with what is due today, the legal
/// holds, and forms that run the sweep, place a hold and lift one exactly as the API does.
extension PledgeAPI {
    func getRetentionPage(_ input: Operations.GetRetentionPage.Input) async throws -> Operations.GetRetentionPage.Output {
        _ = try caller()
        return .ok(.init(body: .html(HTTPBody(try await retentionPage()))))
    }

    func submitRetentionForm(_ input: Operations.SubmitRetentionForm.Input) async throws -> Operations.SubmitRetentionForm.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        do {
            switch form.action {
            case .run:
                guard case .ok(let ran) = try await runRetention(.init()), case .json(let run) = ran.body else { throw Self.invalidBody }
                let removed = run.removed.additionalProperties.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                let summary = (removed + ["\(run.subjectsErased) person(s) erased"]).joined(separator: ", ")
                return .ok(.init(body: .html(HTTPBody(try await retentionPage(ran: summary)))))
            case .hold:
                let scope = form.scope.flatMap { Components.Schemas.RetentionHoldRequest.ScopePayload(rawValue: $0.rawValue) } ?? .subject
                let request = Components.Schemas.RetentionHoldRequest(scope: scope, target: form.target ?? "", reason: form.reason ?? "")
                _ = try await placeRetentionHold(.init(body: .json(request)))
            case .lift:
                _ = try await liftRetentionHold(.init(path: .init(holdId: form.hold ?? "")))
            }
        } catch let error as APIError where [404, 409, 422].contains(error.status.code) {
            let page = HTTPBody(try await retentionPage(error: error, form: form))
            switch error.status.code {
            case 404: return .notFound(.init(body: .html(page)))
            case 409: return .conflict(.init(body: .html(page)))
            default: return .unprocessableContent(.init(body: .html(page)))
            }
        }
        return .seeOther(.init(headers: .init(location: "/admin/retention")))
    }

    private func retentionPage(error: APIError? = nil, form: Components.Schemas.RetentionForm? = nil, ran: String? = nil) async throws -> String {
        let now = clock()
        let plan = try await RetentionSweep(vault: vault).plan(try inForce().retention, at: now)
        var context: [String: Any] = [
            "title": "Retention", "isConsole": true, "isRetention": true, "csrf": RequestKey.formToken, "due": plan.due,
            "flagged": plan.flaggedSubjects, "scopes": RetentionHold.Scope.allCases.map(\.rawValue),
            "lines": plan.lines.map {
                [
                    "name": $0.name, "rule": $0.rule ?? "", "howLong": $0.howLong, "action": Self.words($0.action.rawValue), "due": $0.due,
                    "held": $0.held,
                ] as [String: Any]
            },
            "unscheduled": plan.unscheduled.sorted { $0.key < $1.key }.map { ["purpose": $0.key, "values": $0.value] as [String: Any] },
            "holds": plan.holds.filter(\.isActive).map {
                [
                    "id": $0.id.lowercasedString, "scope": $0.scope.rawValue, "target": $0.target, "reason": $0.reason,
                    "placed": Self.consoleTime($0.placedAt), "placedBy": $0.placedBy,
                ] as [String: Any]
            },
        ]
        if let form, form.action == .hold { context["form"] = ["target": form.target ?? "", "reason": form.reason ?? ""] }
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        if let ran { context["ran"] = ran }
        return try pages.render("admin-retention", await layoutContext(context))
    }
}
