import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The console's marketing pages (issue 28 §8): campaigns with a composer, each campaign's preview,
/// send button, progress and results, and the suppression list. Every change goes through the same
/// checks as the API; a refusal shows the page again with its reason and code.
extension PledgeAPI {
    func getCampaignsPage(_ input: Operations.GetCampaignsPage.Input) async throws -> Operations.GetCampaignsPage.Output {
        .ok(.init(body: .html(HTTPBody(try await campaignsPage(error: nil, form: nil)))))
    }

    func submitCampaignDraft(_ input: Operations.SubmitCampaignDraft.Input) async throws -> Operations.SubmitCampaignDraft.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let key = try caller()
        do {
            let categories = (form.categories ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let draft = CampaignTemplate.Draft(
                subject: form.subject, text: form.text, html: form.html.flatMap { $0.isEmpty ? nil : $0 },
                tracking: EmailTracking(rawValue: form.tracking?.rawValue ?? "none") ?? .none)
            let campaign = try Campaign(
                draft, question: MarketingQuestion(purpose: form.purpose, medium: .email), selection: .init(categories: Set(categories)),
                checkedBy: try inForce(), at: clock())
            try await CampaignStore(vault: vault).create(campaign, actor: key.actor)
            return .seeOther(.init(headers: .init(location: "/admin/campaigns/\(campaign.id.lowercasedString)")))
        } catch let error as APIError where error.status == .unprocessableContent {
            return .unprocessableContent(.init(body: .html(HTTPBody(try await campaignsPage(error: error, form: form)))))
        }
    }

    func getCampaignPage(_ input: Operations.GetCampaignPage.Input) async throws -> Operations.GetCampaignPage.Output {
        guard let page = try await campaignPage(input.path.campaignId, error: nil) else {
            return .notFound(.init(body: .html(HTTPBody(try await consoleNotFound("No such campaign.")))))
        }
        return .ok(.init(body: .html(HTTPBody(page))))
    }

    func submitCampaignSend(_ input: Operations.SubmitCampaignSend.Input) async throws -> Operations.SubmitCampaignSend.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        switch try await campaignAction(input.path.campaignId, { try await self.sendCampaign(.init(path: .init(campaignId: $0))) }) {
        case .done(let location): return .seeOther(.init(headers: .init(location: location)))
        case .notFound(let page): return .notFound(.init(body: .html(HTTPBody(page))))
        case .conflict(let page): return .conflict(.init(body: .html(HTTPBody(page))))
        case .unprocessable(let page): return .unprocessableContent(.init(body: .html(HTTPBody(page))))
        }
    }

    func submitCampaignControl(_ input: Operations.SubmitCampaignControl.Input) async throws -> Operations.SubmitCampaignControl.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let outcome = try await campaignAction(input.path.campaignId) { id in
            switch form.action {
            case .stop: _ = try await self.stopCampaign(.init(path: .init(campaignId: id)))
            case .resume: _ = try await self.resumeCampaign(.init(path: .init(campaignId: id)))
            }
        }
        switch outcome {
        case .done(let location): return .seeOther(.init(headers: .init(location: location)))
        case .notFound(let page): return .notFound(.init(body: .html(HTTPBody(page))))
        case .conflict(let page), .unprocessable(let page): return .conflict(.init(body: .html(HTTPBody(page))))
        }
    }

    /// What a console action on a campaign came to: its page to go back to, or the page again with the refusal.
    private enum CampaignActionOutcome {
        case done(location: String)
        case notFound(String)
        case conflict(String)
        case unprocessable(String)
    }

    /// Runs `action` on the campaign `text` names, turning a refusal into its page shown again with the reason.
    private func campaignAction(_ text: String, _ action: (String) async throws -> Void) async throws -> CampaignActionOutcome {
        do {
            try await action(text)
        } catch let error as APIError where [404, 409, 422].contains(error.status.code) {
            guard let page = try await campaignPage(text, error: error) else { return .notFound(try await consoleNotFound("No such campaign.")) }
            return error.status.code == 409 ? .conflict(page) : .unprocessable(page)
        }
        return .done(location: "/admin/campaigns/\(text)")
    }

    func getSuppressionsPage(_ input: Operations.GetSuppressionsPage.Input) async throws -> Operations.GetSuppressionsPage.Output {
        .ok(.init(body: .html(HTTPBody(try await suppressionsPage([:])))))
    }

    func submitSuppressionForm(_ input: Operations.SubmitSuppressionForm.Input) async throws -> Operations.SubmitSuppressionForm.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let key = try caller()
        let text = form.identifier.trimmingCharacters(in: .whitespaces)
        do {
            let identifier = try await contactIdentifier(email: text.contains("@") ? text : nil, phone: text.contains("@") ? nil : text)
            if form.action == .add {
                guard let reason = form.reason.flatMap({ SuppressionReason(rawValue: $0.rawValue) }) else {
                    throw APIError(.requestInvalidValue, message: "Choose why the address or number is suppressed.")
                }
                try await vault.suppress(identifier, reason: reason, actor: key.actor, at: clock())
            }
            let found = try await vault.suppression(of: identifier)
            var answer: [String: Any] = ["identifier": text, "suppressed": found != nil, "added": form.action == .add]
            if let found { answer["reason"] = Self.words(found.reason.rawValue) }
            if let since = found?.since { answer["since"] = try inForce().statutoryClock.day(of: since).description }
            return .ok(.init(body: .html(HTTPBody(try await suppressionsPage(["answer": answer])))))
        } catch let error as APIError where error.status.code == 400 || error.status.code == 422 {
            let page = try await suppressionsPage(["error": ["message": error.message, "code": error.code], "identifier": text])
            return .unprocessableContent(.init(body: .html(HTTPBody(page))))
        }
    }

    // MARK: Pages

    private func campaignsPage(error: APIError?, form: Components.Schemas.CampaignDraftForm?) async throws -> String {
        let current = try inForce()
        let store = CampaignStore(vault: vault)
        var rows: [[String: Any]] = []
        for id in try await store.recent(limit: Self.queuePageSize) {
            guard let campaign = try await store.find(id) else { continue }
            let progress = try await store.progress(of: id)
            rows.append([
                "id": id.lowercasedString, "subject": campaign.subject, "purpose": campaign.question.purpose,
                "kind": current.marketing.kind(of: campaign.question.purpose).rawValue,
                "state": campaign.state.rawValue, "created": current.statutoryClock.day(of: campaign.createdAt).description,
                "sent": progress["sent", default: 0], "queued": progress["queued", default: 0], "excluded": progress["excluded", default: 0],
            ])
        }
        let purposes = current.declaration.purposes.filter {
            current.marketing.channel(for: MarketingQuestion(purpose: $0.id, medium: .email)) != nil || current.marketing.servicePurpose($0.id) != nil
        }
        var context: [String: Any] = [
            "title": "Campaigns", "isConsole": true, "isCampaigns": true, "campaigns": rows, "empty": rows.isEmpty,
            "csrf": RequestKey.formToken,
            "purposes": purposes.map { purpose in
                [
                    "id": purpose.id, "name": purpose.name, "selected": purpose.id == form?.purpose,
                    "kind": current.marketing.kind(of: purpose.id).rawValue,
                ] as [String: Any]
            },
            "trackings": EmailTracking.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (form?.tracking?.rawValue ?? "none")] },
            "form": ["subject": form?.subject ?? "", "text": form?.text ?? "", "html": form?.html ?? "", "categories": form?.categories ?? ""],
        ]
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        return try pages.render("admin-campaigns", await layoutContext(context))
    }

    /// A campaign's page; nil when there is no such campaign.
    private func campaignPage(_ text: String, error: APIError?) async throws -> String? {
        let current = try inForce()
        let store = CampaignStore(vault: vault)
        guard let id = UUID(canonical: text), let campaign = try await store.find(id) else { return nil }
        let progress = try await store.progress(of: id), results = try await store.results(of: id), exclusions = try await store.exclusions(of: id)
        var context: [String: Any] = [
            "title": "Campaign", "isConsole": true, "isCampaigns": true, "id": id.lowercasedString, "subject": campaign.subject,
            "text": campaign.text, "purpose": campaign.question.purpose, "tracking": campaign.tracking.rawValue,
            "kind": current.marketing.kind(of: campaign.question.purpose).rawValue,
            "isDraft": campaign.state == .draft, "isSending": campaign.state == .sending, "isStopped": campaign.state == .stopped,
            "state": campaign.state.rawValue, "csrf": RequestKey.formToken,
            "progress": progress.sorted { $0.key < $1.key }.map { ["state": $0.key, "count": $0.value] },
            "exclusions": Self.exclusionRows(exclusions), "hasExclusions": !exclusions.isEmpty,
            "results": ["tracked": results.trackedIndividually, "opened": results.opened, "clicked": results.clicked],
            "isTracked": results.trackedIndividually > 0,
        ]
        if campaign.state == .draft {
            let preview = try await store.audience(of: campaign, rule: current.marketing, at: clock())
            context["preview"] = [
                "recipients": preview.recipients.count, "exclusions": Self.exclusionRows(preview.exclusionCounts),
                "hasExclusions": !preview.exclusionCounts.isEmpty,
            ]
        }
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        return try pages.render("admin-campaign", await layoutContext(context))
    }

    /// Exclusion counts by code as table rows, with each code's rule.
    static func exclusionRows(_ counts: [String: Int]) -> [[String: Any]] {
        counts.sorted { $0.key < $1.key }.map { ["code": $0.key, "rule": MarketingRefusal.rule(forCode: $0.key) ?? "", "count": $0.value] }
    }

    private func suppressionsPage(_ extra: [String: Any]) async throws -> String {
        var context: [String: Any] = [
            "title": "Suppressions", "isConsole": true, "isSuppressions": true,
            "csrf": RequestKey.formToken,
            "reasons": ["staff_opt_out", "objection", "unsubscribed", "hard_bounce", "complaint"].map { ["value": $0, "label": Self.words($0)] },
        ]
        context.merge(extra) { $1 }
        return try pages.render("admin-suppressions", await layoutContext(context))
    }

    private func consoleNotFound(_ message: String) async throws -> String {
        try pages.render("message", await layoutContext(["title": "Not found", "message": message, "isConsole": true]))
    }
}
