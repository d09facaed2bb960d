import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The breach register (issue 29 §2; C39; UK GDPR Arts 33, 34): report, assess, record notifications.
/// Each change is one of Core's `Breach` transitions, stored by `BreachRegister`.
extension PledgeAPI {
    func reportBreach(_ input: Operations.ReportBreach.Input) async throws -> Operations.ReportBreach.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        if let unknown = body.categories.first(where: { !Fideslang.dataCategories.contains($0) }) {
            throw APIError(
                status: .unprocessableContent, code: "breach.category-unknown", message: "'\(unknown.prefix(100))' is not a data category.")
        }
        let breach = try await refusals {
            try Breach.recorded(
                awareAt: body.awareAt, facts: body.facts, categories: body.categories, reportedBy: key.actor, at: clock(),
                approximateSubjects: body.approximateSubjects, approximateRecords: body.approximateRecords,
                consequences: body.consequences, measures: body.measures)
        }
        let register = BreachRegister(vault: vault)
        try await register.record(breach, actor: key.actor)
        return .created(.init(body: .json(try await breachSchema(breach, register))))
    }

    func listBreaches(_ input: Operations.ListBreaches.Input) async throws -> Operations.ListBreaches.Output {
        _ = try caller()
        let register = BreachRegister(vault: vault)
        var breaches: [Components.Schemas.Breach] = []
        for breach in try await register.all() { breaches.append(try await breachSchema(breach, register)) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        breaches: breaches, escalated: breaches.filter { $0.standing == .escalated }.count,
                        overdue: breaches.filter { $0.standing == .overdue }.count))))
    }

    func getBreach(_ input: Operations.GetBreach.Input) async throws -> Operations.GetBreach.Output {
        _ = try caller()
        let register = BreachRegister(vault: vault)
        guard let breach = try await register.find(try Self.registerID(input.path.breachId, of: "breach")) else {
            throw APIError(BreachRefusal.notFound)
        }
        return .ok(.init(body: .json(try await breachSchema(breach, register))))
    }

    func assessBreach(_ input: Operations.AssessBreach.Input) async throws -> Operations.AssessBreach.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let risk = BreachRisk(rawValue: body.risk.rawValue) ?? .high
        let register = BreachRegister(vault: vault)
        let assessed = try await refusals {
            try await register.change(
                try Self.registerID(input.path.breachId, of: "breach"), action: "breach.assess", detail: risk.rawValue, actor: key.actor, at: clock()
            ) {
                try $0.assessed(risk, reasoning: body.reasoning, consequences: body.consequences, measures: body.measures)
            }
        }
        return .ok(.init(body: .json(try await breachSchema(assessed, register))))
    }

    func recordBreachNotification(_ input: Operations.RecordBreachNotification.Input) async throws -> Operations.RecordBreachNotification.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let now = clock()
        let register = BreachRegister(vault: vault)
        let id = try Self.registerID(input.path.breachId, of: "breach")
        let changed = try await refusals {
            switch body.to {
            case .ico:
                try await register.change(id, action: "breach.notify-ico", detail: body.reference, actor: key.actor, at: now) {
                    try $0.notifiedToICO(at: body.at, reference: body.reference, latenessReason: body.latenessReason, checkedAt: now)
                }
            case .individuals:
                try await register.change(id, action: "breach.notify-individuals", detail: nil, actor: key.actor, at: now) {
                    try $0.notifiedToIndividuals(at: body.at, checkedAt: now)
                }
            }
        }
        return .ok(.init(body: .json(try await breachSchema(changed, register))))
    }

    func exportBreachRegister(_ input: Operations.ExportBreachRegister.Input) async throws -> Operations.ExportBreachRegister.Output {
        _ = try caller()
        let breaches = try await BreachRegister(vault: vault).all(limit: 100_000)
        return .ok(.init(body: .csv(HTTPBody(BreachRegisterCSV.render(breaches, at: clock())))))
    }

    func sendBreachNotice(_ input: Operations.SendBreachNotice.Input) async throws -> Operations.SendBreachNotice.Output {
        let key = try caller()
        let register = BreachRegister(vault: vault)
        let organisation = try inForce().declaration.organisation
        let id = try Self.registerID(input.path.breachId, of: "breach")
        let told = try await refusals { try await register.tellIndividuals(id, organisation: organisation, actor: key.actor, at: clock()) }
        return .ok(
            .init(
                body: .json(
                    .init(breach: try await breachSchema(told.breach, register), queued: told.queued, withoutAddress: told.withoutAddress))))
    }

    private func breachSchema(_ breach: Breach, _ register: BreachRegister) async throws -> Components.Schemas.Breach {
        .init(model: breach, at: clock(), scope: try await register.scope(categories: breach.categories, until: breach.awareAt))
    }
}

extension Components.Schemas.Breach {
    init(model breach: Breach, at instant: Date, scope: Int) {
        let standing = breach.standing(at: instant)
        var late: Bool?
        if case .notified(_, let wasLate) = standing { late = wasLate }
        self.init(
            id: breach.id.lowercasedString, awareAt: breach.awareAt, recordedAt: breach.recordedAt, reportedBy: breach.reportedBy,
            facts: breach.facts,
            categories: breach.categories, approximateSubjects: breach.approximateSubjects, approximateRecords: breach.approximateRecords,
            consequences: breach.consequences, measures: breach.measures, risk: breach.risk.flatMap { .init(rawValue: $0.rawValue) },
            riskReasoning: breach.riskReasoning, standing: .init(rawValue: standing.code) ?? .running, icoDue: breach.icoDue,
            icoNotifiedAt: breach.icoNotifiedAt, icoReference: breach.icoReference, notifiedLate: late, latenessReason: breach.latenessReason,
            individualsToBeTold: breach.individualsToBeTold, individualsNotifiedAt: breach.individualsNotifiedAt, scope: scope)
    }
}

/// The console's breach register page (issue 29 §2): the register with each breach's standing, and a
/// form checked exactly as `POST /v1/breaches`.
extension PledgeAPI {
    func getBreachesPage(_ input: Operations.GetBreachesPage.Input) async throws -> Operations.GetBreachesPage.Output {
        .ok(.init(body: .html(HTTPBody(try await breachesPage(error: nil, form: nil)))))
    }

    func submitBreachForm(_ input: Operations.SubmitBreachForm.Input) async throws -> Operations.SubmitBreachForm.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        do {
            let typed = form.awareAt?.trimmingCharacters(in: .whitespaces) ?? ""
            let awareAt = try typed.isEmpty ? nil : Self.consoleInstant(typed)
            let categories = (form.categories ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let report = Components.Schemas.BreachReport(awareAt: awareAt, facts: form.facts, categories: categories, measures: form.measures)
            _ = try await reportBreach(.init(body: .json(report)))
        } catch let error as APIError where error.status == .unprocessableContent {
            return .unprocessableContent(.init(body: .html(HTTPBody(try await breachesPage(error: error, form: form)))))
        }
        return .seeOther(.init(headers: .init(location: "/admin/breaches")))
    }

    func submitBreachNoticeForm(_ input: Operations.SubmitBreachNoticeForm.Input) async throws -> Operations.SubmitBreachNoticeForm.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        do {
            _ = try await sendBreachNotice(.init(path: .init(breachId: input.path.breachId)))
        } catch let error as APIError where [404, 409, 422].contains(error.status.code) {
            let page = HTTPBody(try await breachesPage(error: error, form: nil, refused: "Not sent"))
            switch error.status.code {
            case 404: return .notFound(.init(body: .html(page)))
            case 409: return .conflict(.init(body: .html(page)))
            default: return .unprocessableContent(.init(body: .html(page)))
            }
        }
        return .seeOther(.init(headers: .init(location: "/admin/breaches")))
    }

    /// A `datetime-local` value ("2026-12-05T14:30", seconds optional) read as UTC.
    static func consoleInstant(_ text: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        guard let instant = formatter.date(from: text + ":00Z") ?? formatter.date(from: text + "Z") else {
            throw APIError(status: .unprocessableContent, code: "breach.awareness-invalid", message: "'\(text.prefix(40))' is not a date and time.")
        }
        return instant
    }

    /// The register page; `refused` heads the error box ("Not recorded" for the form, "Not sent" for a notice).
    private func breachesPage(error: APIError?, form: Components.Schemas.BreachForm?, refused: String = "Not recorded") async throws -> String {
        let now = clock()
        let breaches = try await BreachRegister(vault: vault).all()
        let standings = breaches.map { $0.standing(at: now) }
        var context: [String: Any] = [
            "title": "Breaches", "isConsole": true, "isBreaches": true, "csrf": RequestKey.formToken, "empty": breaches.isEmpty,
            "escalated": standings.filter { $0.code == "escalated" }.count, "overdue": standings.filter { $0.code == "overdue" }.count,
            "breaches": zip(breaches, standings).map { breach, standing in
                [
                    "aware": Self.consoleTime(breach.awareAt), "facts": breach.facts, "risk": breach.risk?.rawValue ?? "not assessed",
                    "standing": standing.code, "standingLabel": Self.label(standing), "toTell": breach.individualsToBeTold,
                    "id": breach.id.lowercasedString, "told": breach.individualsNotifiedAt.map { "told \(Self.consoleTime($0))" } ?? "no",
                ] as [String: Any]
            },
        ]
        if let form {
            context["form"] = [
                "awareAt": form.awareAt ?? "", "facts": form.facts, "categories": form.categories ?? "", "measures": form.measures ?? "",
            ]
        }
        if let error { context["error"] = ["message": error.message, "code": error.code, "refused": refused] }
        return try pages.render("admin-breaches", await layoutContext(context))
    }

    /// "2026-12-05 14:30 UTC".
    static func consoleTime(_ instant: Date) -> String {
        let text = ISO8601DateFormatter().string(from: instant)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5) + " UTC"
    }

    static func label(_ standing: BreachStanding) -> String {
        switch standing {
        case .running(let due): "ICO due by \(consoleTime(due))"
        case .escalated(let due): "Escalated: ICO due by \(consoleTime(due))"
        case .overdue(let since): "Overdue since \(consoleTime(since)): tell the ICO with the reasons for the delay"
        case .notified(let at, let late): "ICO told \(consoleTime(at))\(late ? " (late)" : "")"
        case .notRequired: "Not notifiable (assessed unlikely to be a risk)"
        }
    }
}
