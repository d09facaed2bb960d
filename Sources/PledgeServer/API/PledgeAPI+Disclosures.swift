import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The disclosure register (issue 29 §3; C22, C25, C24): log, decide (four eyes), release minimised.
/// The rules are Core's `Disclosure`; `DisclosureRegister` stores and releases.
extension PledgeAPI {
    func logDisclosure(_ input: Operations.LogDisclosure.Input) async throws -> Operations.LogDisclosure.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let subjects = try body.subjects.map(Self.subjectID)
        let disclosure = try await refusals {
            let disclosure = try Disclosure.requested(
                requester: DisclosureRequester(rawValue: body.requester.rawValue) ?? .registered, requesterName: body.requesterName,
                recipient: body.recipient, country: body.country, verification: body.verification,
                ground: DisclosureGround(rawValue: body.ground.rawValue) ?? .consent, reference: body.reference, agreement: body.agreement,
                necessity: body.necessity, categories: body.categories, subjects: subjects, identifiedBecause: body.identifiedBecause,
                in: try inForce().declaration, loggedBy: key.actor,
                at: clock())
            for subject in subjects where try await vault.state(of: subject) == nil { throw DisclosureRefusal.subjectUnknown }
            return disclosure
        }
        try await DisclosureRegister(vault: vault).record(disclosure)
        return .created(.init(body: .json(.init(model: disclosure))))
    }

    func listDisclosures(_ input: Operations.ListDisclosures.Input) async throws -> Operations.ListDisclosures.Output {
        _ = try caller()
        let all = try await DisclosureRegister(vault: vault).all()
        return .ok(
            .init(body: .json(.init(disclosures: all.map(Components.Schemas.Disclosure.init), pending: all.filter { $0.state == .pending }.count))))
    }

    func decideDisclosure(_ input: Operations.DecideDisclosure.Input) async throws -> Operations.DecideDisclosure.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.registerID(input.path.disclosureId, of: "disclosure")
        let decided = try await refusals {
            try await DisclosureRegister(vault: vault).decide(id, approve: body.approve, by: key.actor, note: body.note, at: clock())
        }
        return .ok(.init(body: .json(.init(model: decided))))
    }

    func releaseDisclosure(_ input: Operations.ReleaseDisclosure.Input) async throws -> Operations.ReleaseDisclosure.Output {
        let key = try caller()
        let id = try Self.registerID(input.path.disclosureId, of: "disclosure")
        let release = try await refusals {
            try await DisclosureRegister(vault: vault).release(id, declaration: try inForce().declaration, actor: key.actor, at: clock())
        }
        return .ok(.init(body: .json(.init(model: release))))
    }

    func completeSale(_ input: Operations.CompleteSale.Input) async throws -> Operations.CompleteSale.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let id = try Self.registerID(input.path.disclosureId, of: "disclosure")
        guard let day = CalendarDate(body.effectiveOn) else {
            throw APIError(.requestInvalidValue, status: .unprocessableContent, message: "effectiveOn is not a date (YYYY-MM-DD).")
        }
        let completion = SaleCompletion(newController: body.newController, contact: body.contact, effectiveOn: day)
        let outcome = try await refusals {
            try await DisclosureRegister(vault: vault).completeSale(
                id, completion, organisation: try inForce().declaration.organisation, actor: key.actor, at: clock())
        }
        return .ok(
            .init(body: .json(.init(disclosure: .init(model: outcome.disclosure), queued: outcome.queued, withoutAddress: outcome.withoutAddress))))
    }
}

extension Components.Schemas.Disclosure {
    init(model disclosure: Disclosure) {
        self.init(
            id: disclosure.id.lowercasedString, requester: .init(rawValue: disclosure.requester.rawValue) ?? .registered,
            requesterName: disclosure.requesterName, recipient: disclosure.recipient, country: disclosure.country,
            verification: disclosure.verification, ground: .init(rawValue: disclosure.ground.rawValue) ?? .consent,
            citation: disclosure.ground.citation, reference: disclosure.reference, agreement: disclosure.agreement, necessity: disclosure.necessity,
            categories: disclosure.categories, subjects: disclosure.subjects.map(\.lowercasedString), loggedBy: disclosure.loggedBy,
            loggedAt: disclosure.loggedAt, state: .init(rawValue: disclosure.state.rawValue) ?? .pending, decidedBy: disclosure.decidedBy,
            decidedAt: disclosure.decidedAt, decisionNote: disclosure.decisionNote, releasedAt: disclosure.releasedAt,
            dataRoom: disclosure.isDataRoom, identifiedBecause: disclosure.identifiedBecause,
            newController: disclosure.saleCompletion?.newController, newControllerContact: disclosure.saleCompletion?.contact,
            saleEffectiveOn: disclosure.saleCompletion?.effectiveOn.description)
    }
}

extension Components.Schemas.DisclosureRelease {
    init(model release: PledgeStore.DisclosureRelease) {
        self.init(
            disclosure: .init(model: release.disclosure),
            people: release.people.map { person in
                .init(
                    subjectId: (person.pseudonym ?? person.subject).lowercasedString, pseudonymised: person.pseudonym != nil,
                    values: person.values.map { .init(field: $0.field, category: $0.category, value: $0.value) })
            },
            excluded: release.excluded.sorted { $0.key.lowercasedString < $1.key.lowercasedString }.map {
                .init(subjectId: $0.key.lowercasedString, reason: .init(rawValue: $0.value.rawValue) ?? .subjectNotFound)
            },
            counts: release.counts.map { .init(additionalProperties: $0) }, withheld: release.counts == nil ? nil : release.withheld)
    }
}

/// The console's disclosure register (issue 29 §3, §7): every disclosure, pending ones first, with a
/// form that decides one exactly as `POST /v1/disclosures/{id}/decision` does.
extension PledgeAPI {
    func getDisclosuresPage(_ input: Operations.GetDisclosuresPage.Input) async throws -> Operations.GetDisclosuresPage.Output {
        _ = try caller()
        return .ok(.init(body: .html(HTTPBody(try await disclosuresPage(error: nil)))))
    }

    func submitDisclosureDecisionForm(
        _ input: Operations.SubmitDisclosureDecisionForm.Input
    ) async throws -> Operations.SubmitDisclosureDecisionForm.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let decision = Components.Schemas.DisclosureDecision(approve: form.decision == .approve, note: form.note)
        do {
            _ = try await decideDisclosure(.init(path: .init(disclosureId: input.path.disclosureId), body: .json(decision)))
        } catch let error as APIError where error.status.code == 404 {
            return .notFound(.init(body: .html(HTTPBody(try await disclosuresPage(error: error)))))
        } catch let error as APIError where [403, 409].contains(error.status.code) && error.code.hasPrefix("disclosure.") {
            return .conflict(.init(body: .html(HTTPBody(try await disclosuresPage(error: error)))))
        }
        return .seeOther(.init(headers: .init(location: "/admin/disclosures")))
    }

    private func disclosuresPage(error: APIError?) async throws -> String {
        let all = try await DisclosureRegister(vault: vault).all()
        let ordered = all.filter { $0.state == .pending } + all.filter { $0.state != .pending }
        var context: [String: Any] = [
            "title": "Disclosures", "isConsole": true, "isDisclosures": true, "csrf": RequestKey.formToken, "empty": all.isEmpty,
            "pending": all.filter { $0.state == .pending }.count,
            "disclosures": ordered.map { disclosure in
                [
                    "id": disclosure.id.lowercasedString, "logged": Self.consoleTime(disclosure.loggedAt), "loggedBy": disclosure.loggedBy,
                    "requester": "\(disclosure.requesterName) (\(Self.words(disclosure.requester.rawValue)))",
                    "citation": disclosure.ground.citation, "necessity": disclosure.necessity,
                    "categories": disclosure.categories.joined(separator: ", "), "people": disclosure.subjects.count,
                    "state": disclosure.state.rawValue, "stateLabel": Self.words(disclosure.state.rawValue),
                    "pending": disclosure.state == .pending,
                    "decided": disclosure.decidedBy.map { "by \($0)\(disclosure.decisionNote.map { ": \($0)" } ?? "")" } ?? "",
                ] as [String: Any]
            },
        ]
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        return try pages.render("admin-disclosures", await layoutContext(context))
    }
}
