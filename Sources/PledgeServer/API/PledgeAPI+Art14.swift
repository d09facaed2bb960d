import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// Art 14 notice tasks (issue 25 §8; C05): the JSON list and closure, and the console's list with a
/// form to close each. Both close through `PersonalDataVault.closeArt14Task`, so a refusal has the
/// same code and stores nothing.
extension PledgeAPI {
    func listArt14Tasks(_ input: Operations.ListArt14Tasks.Input) async throws -> Operations.ListArt14Tasks.Output {
        let limit = input.query.limit ?? Self.queuePageSize
        let offset = input.query.offset ?? 0
        let page = try await vault.art14Tasks(includeClosed: input.query.state == .all, limit: limit + 1, offset: offset)
        let current = try inForce()
        let today = current.statutoryClock.day(of: clock())
        return .ok(
            .init(
                body: .json(
                    .init(
                        tasks: page.prefix(limit).map { .init(model: $0, declaration: current.declaration, today: today) },
                        open: try await vault.openArt14TaskCount(), nextOffset: page.count > limit ? offset + limit : nil))))
    }

    func closeArt14Task(_ input: Operations.CloseArt14Task.Input) async throws -> Operations.CloseArt14Task.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let closed = try await closeArt14(input.path.taskId, how: body.how.rawValue, note: body.note)
        let current = try inForce()
        return .ok(.init(body: .json(.init(model: closed, declaration: current.declaration, today: current.statutoryClock.day(of: clock())))))
    }

    func getArt14TasksPage(_ input: Operations.GetArt14TasksPage.Input) async throws -> Operations.GetArt14TasksPage.Output {
        .ok(.init(body: .html(HTTPBody(try await art14Page(error: nil)))))
    }

    func submitArt14Closure(_ input: Operations.SubmitArt14Closure.Input) async throws -> Operations.SubmitArt14Closure.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        do {
            _ = try await closeArt14(input.path.taskId, how: form.how, note: form.note)
        } catch let error as APIError where [404, 409, 422].contains(error.status.code) {
            let page = HTTPBody(try await art14Page(error: error))
            switch error.status.code {
            case 404: return .notFound(.init(body: .html(page)))
            case 409: return .conflict(.init(body: .html(page)))
            default: return .unprocessableContent(.init(body: .html(page)))
            }
        }
        return .seeOther(.init(headers: .init(location: "/admin/art14-tasks")))
    }

    /// Closes task `id` as the caller, its refusals as API errors.
    private func closeArt14(_ id: String, how: String, note: String?) async throws -> Art14Task {
        let key = try caller()
        guard let task = UUID(canonical: id) else { throw APIError(Art14Refusal.notFound) }
        return try await refusals {
            try await vault.closeArt14Task(task, by: try Art14Closure(how: how, note: note), actor: key.actor, at: clock())
        }
    }

    private func art14Page(error: APIError?) async throws -> String {
        let current = try inForce()
        let today = current.statutoryClock.day(of: clock())
        let tasks = try await vault.art14Tasks(limit: Self.queuePageSize).map {
            Components.Schemas.Art14Task(model: $0, declaration: current.declaration, today: today)
        }
        var context: [String: Any] = [
            "title": "Notice tasks", "isConsole": true, "isArt14": true, "empty": tasks.isEmpty,
            "open": try await vault.openArt14TaskCount(), "overdue": tasks.filter(\.overdue).count,
            "csrf": RequestKey.formToken,
            "channels": Art14Channel.allCases.map { ["value": $0.rawValue, "label": Self.words($0.rawValue)] },
            "exemptions": Art14Exemption.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "tasks": tasks.map { task -> [String: Any] in
                [
                    "id": task.id, "subject": task.subjectId, "short": String(task.subjectId.prefix(8)), "source": task.sourceName ?? task.source,
                    "due": task.dueOn, "overdue": task.overdue,
                ]
            },
        ]
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        return try pages.render("admin-art14-tasks", await layoutContext(context))
    }
}

extension Components.Schemas.Art14Task {
    /// A stored task as the API shows it: with its source's declared name, and overdue once Art 14(3)(a)'s month has run out.
    init(model: Art14Task, declaration: Declaration, today: CalendarDate) {
        self.init(
            id: model.id.lowercasedString, subjectId: model.subject.lowercasedString, source: model.source,
            sourceReference: model.sourceReference, sourceName: declaration.sources.first { $0.id == model.source }?.name,
            dueOn: model.dueOn.description,
            overdue: model.isOverdue(on: today), closedAt: model.closedAt, how: model.closure?.how, note: model.closure?.note)
    }
}
