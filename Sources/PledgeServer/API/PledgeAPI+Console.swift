import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The admin console's case pages (issue 5 §9; C28-C34, C40): sign in with an API key, the queue by
/// days left, a case with its history, and forms for its actions and fulfilment. The forms post to
/// the same case register and fulfilment as the JSON API, so a refusal has the same code and
/// stores nothing; the page shows it in words.
extension PledgeAPI {
    /// How long the console's cookie lasts.
    static let consoleSession = 8 * 3600

    func getSignInPage(_ input: Operations.GetSignInPage.Input) async throws -> Operations.GetSignInPage.Output {
        .ok(.init(body: .html(HTTPBody(try await signInPage(error: nil)))))
    }

    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        let token = form.key.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = clock()
        guard !token.isEmpty, let key = try await keys.authenticate(token, at: now) else {
            return .unauthorized(.init(body: .html(HTTPBody(try await signInPage(error: "That key is unknown or has been revoked.")))))
        }
        // A key that may not act now gets no session either (an ended processor contract).
        if let refusal = PurposeAccess.contractRefusal(role: key.role, in: registry.current?.declaration, on: CalendarDate(utc: now)) {
            return .unauthorized(.init(body: .html(HTTPBody(try await signInPage(error: refusal.message)))))
        }
        // The cookie names a session, never the key (issue 24 finding 8).
        let session = try await sessions.open(for: key, lifetime: TimeInterval(Self.consoleSession), at: now)
        let next = key.role.allows(.readWorkspace) ? "/admin" : key.role.allows(.handleRequests) ? "/admin/requests" : "/admin/statistics"
        return .seeOther(.init(headers: .init(location: next, setCookie: consoleCookie(session, maxAge: Self.consoleSession))))
    }

    func signOut(_ input: Operations.SignOut.Input) async throws -> Operations.SignOut.Output {
        if let session = RequestKey.fromCookie { try await sessions.close(session, at: clock()) }
        return .seeOther(.init(headers: .init(location: "/admin/sign-in", setCookie: consoleCookie("", maxAge: 0))))
    }

    func getCaseQueuePage(_ input: Operations.GetCaseQueuePage.Input) async throws -> Operations.GetCaseQueuePage.Output {
        let all = input.query.state == .all
        let offset = input.query.offset ?? 0
        let page = try await queuePage(includeClosed: all, limit: Self.queuePageSize, offset: offset)
        let queue = page.cases
        let open = queue.filter { Self.isOpen($0.state) }
        let state = all ? "state=all&" : ""
        var context: [String: Any] = [
            "title": "Requests", "isConsole": true, "isQueue": true, "all": all, "empty": queue.isEmpty,
            "summary": [
                "overdue": open.filter { $0.urgency == .overdue }.count, "dueSoon": open.filter { $0.urgency == .dueSoon }.count,
                "from": queue.isEmpty ? 0 : offset + 1, "to": offset + queue.count, "count": page.total,
            ],
            "cases": queue.map { found -> [String: Any] in
                var row: [String: Any] = [
                    "id": found.id, "kind": Self.sentence(found.kind), "channel": Self.words(found.channel),
                    "state": Self.words(found.state.rawValue),
                    "received": String(found.receivedAt.formatted(.iso8601).prefix(10)), "due": found.dueOn, "daysLeft": found.daysLeft,
                    "paused": found.paused, "urgency": found.urgency?.rawValue ?? "",
                ]
                if let urgency = found.urgency, Self.isOpen(found.state), urgency != .onTrack {
                    row["urgent"] = urgency == .overdue ? "overdue" : "due soon"
                }
                return row
            },
        ]
        if let next = page.nextOffset { context["next"] = "/admin/requests?\(state)offset=\(next)" }
        if offset > 0 { context["previous"] = "/admin/requests?\(state)offset=\(max(0, offset - Self.queuePageSize))" }
        return .ok(.init(body: .html(HTTPBody(try pages.render("admin-requests", await layoutContext(context))))))
    }

    func getCasePage(_ input: Operations.GetCasePage.Input) async throws -> Operations.GetCasePage.Output {
        let found = try await requestCase(input.path.requestId)
        return .ok(.init(body: .html(HTTPBody(try await casePage(found, error: nil)))))
    }

    func submitCaseAction(_ input: Operations.SubmitCaseAction.Input) async throws -> Operations.SubmitCaseAction.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let found = try await requestCase(input.path.requestId)
        do {
            _ = try await act(try Self.caseAction(try Self.requestAction(form)), on: found)
        } catch let error as APIError where [400, 409, 422].contains(error.status.code) {
            let page = HTTPBody(try await casePage(found, error: error))
            switch error.status.code {
            case 400: return .badRequest(.init(body: .html(page)))
            case 409: return .conflict(.init(body: .html(page)))
            default: return .unprocessableContent(.init(body: .html(page)))
            }
        }
        return .seeOther(.init(headers: .init(location: "/admin/requests/\(found.id.lowercasedString)")))
    }

    func submitCaseFulfilment(_ input: Operations.SubmitCaseFulfilment.Input) async throws -> Operations.SubmitCaseFulfilment.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        try checkFormToken(form.csrf)
        let found = try await requestCase(input.path.requestId)
        do {
            _ = try await fulfil(found)
        } catch let error as APIError where [409, 422].contains(error.status.code) {
            let page = HTTPBody(try await casePage(found, error: error))
            return error.status.code == 409 ? .conflict(.init(body: .html(page))) : .unprocessableContent(.init(body: .html(page)))
        }
        return .seeOther(.init(headers: .init(location: "/admin/requests/\(found.id.lowercasedString)")))
    }

    func getCaseExportDownload(_ input: Operations.GetCaseExportDownload.Input) async throws -> Operations.GetCaseExportDownload.Output {
        .ok(.init(body: .applicationZip(HTTPBody(try await staffExport(input.path.requestId)))))
    }

    func getCaseDocument(_ input: Operations.GetCaseDocument.Input) async throws -> Operations.GetCaseDocument.Output {
        let key = try caller()
        guard let id = UUID(canonical: input.path.requestId), let documentID = UUID(canonical: input.path.documentId),
            let (stored, bytes) = try await cases.document(documentID, of: id, actor: key.actor, at: clock())
        else {
            throw APIError(.caseDocumentNotFound, message: "No such document: it was never sent, or it has been deleted after the check.")
        }
        let body = HTTPBody(bytes)
        let typed: Operations.GetCaseDocument.Output.Ok.Body =
            switch stored.mediaType {
            case .pdf: .pdf(body)
            case .png: .png(body)
            case .jpeg: .jpeg(body)
            }
        return .ok(.init(body: typed))
    }

    // MARK: Helpers

    /// The console cookie: only the console's pages receive it, scripts cannot read it, other
    /// sites' requests never carry it, and it travels only over TLS unless the server is reached
    /// at a loopback address over plain HTTP (a developer's machine).
    private func consoleCookie(_ token: String, maxAge: Int) -> String {
        "\(APIKeyMiddleware.adminCookie)=\(token); Path=/admin; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(Self.isLoopbackHTTP(publicURL) ? "" : "; Secure")"
    }

    /// Whether `url` is plain HTTP to this machine (127.0.0.0/8, ::1, localhost).
    static func isLoopbackHTTP(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// A console form signed in by cookie must carry the token derived from that cookie's key
    /// (cross-site request forgery); a form sent with the Authorization header needs none.
    func checkFormToken(_ token: String?) throws {
        guard let cookie = RequestKey.fromCookie else { return }
        guard let token, ConstantTime.equal(token, ConsoleSessions.formToken(for: cookie)) else {
            throw APIError(.authFormToken, message: "This form has no valid form token. Open the page again and resend it from there.")
        }
    }

    /// The form's text fields as the API's action, so one parser serves both.
    static func requestAction(_ form: Components.Schemas.CaseActionForm) throws -> Components.Schemas.RequestAction {
        func invalid(_ field: String, _ text: String) -> APIError {
            APIError(.requestInvalidBody, message: "'\(text)' is not a valid \(field).")
        }
        func optional(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        guard let action = Components.Schemas.RequestAction.ActionPayload(rawValue: form.action) else { throw invalid("action", form.action) }
        var parsed = Components.Schemas.RequestAction(action: action, reason: optional(form.reason))
        if let method = optional(form.method) {
            guard let value = Components.Schemas.RequestAction.MethodPayload(rawValue: method) else { throw invalid("method", method) }
            parsed.method = value
        }
        if let months = optional(form.months) {
            guard let value = Int(months) else { throw invalid("number of months", months) }
            parsed.months = value
        }
        if let pence = optional(form.pence) {
            guard let value = Int(pence) else { throw invalid("fee in pence", pence) }
            parsed.pence = value
        }
        if let ground = optional(form.ground) {
            guard let value = Components.Schemas.RequestAction.GroundPayload(rawValue: ground) else { throw invalid("ground", ground) }
            parsed.ground = value
        }
        return parsed
    }

    private func casePage(_ found: RequestCase, error: APIError?) async throws -> String {
        let key = try caller()
        let current = try inForce()
        let now = clock()
        let shown = try await caseSchema(found, history: true, clock: current.statutoryClock)
        let requester = try await cases.requester(of: found.id, actor: key.actor, at: now)
        var context: [String: Any] = [
            "title": "Request", "isConsole": true, "id": shown.id, "short": String(shown.id.prefix(8)), "kind": Self.sentence(shown.kind),
            "state": Self.words(shown.state.rawValue), "channel": Self.words(shown.channel), "received": TextBuffer.rfc3339(shown.receivedAt),
            "open": Self.isOpen(shown.state), "due": shown.dueOn, "daysLeft": shown.daysLeft, "paused": shown.paused,
            "urgency": shown.urgency?.rawValue ?? "",
            "csrf": RequestKey.formToken,
            "actions": Components.Schemas.RequestAction.ActionPayload.allCases.map { ["value": $0.rawValue, "label": Self.words($0.rawValue)] },
            "methods": VerificationRoute.allCases.map(\.rawValue), "grounds": RefusalGround.allCases.map(\.rawValue),
            "withheld": shown.withheld.map { ["ground": $0.label ?? $0.ground.rawValue, "detail": $0.detail] },
            "hasWithheld": !shown.withheld.isEmpty,
            "history": (shown.history ?? []).reversed().map {
                [
                    "at": TextBuffer.rfc3339($0.at), "actor": $0.actor, "action": Self.words($0.action), "state": Self.words($0.state),
                    "detail": $0.detail ?? "",
                ]
            },
        ]
        if found.relation != .subject { context["relation"] = Self.words(found.relation.rawValue) }
        if shown.extensionMonths > 0 { context["extension"] = "\(shown.extensionMonths) month(s): \(shown.extensionReasons ?? "")" }
        if let verified = shown.verifiedBy { context["verifiedBy"] = Self.words(verified) }
        if let subject = shown.subjectId { context["subject"] = subject }
        let details = [requester.name, requester.email, requester.phone, requester.onBehalfOf.map { "on behalf of \($0)" }, requester.details]
            .compactMap { $0 }.filter { !$0.isEmpty }
        if !details.isEmpty { context["requester"] = details.joined(separator: " · ") }
        if shown.feePence > 0 { context["fee"] = String(format: "%.2f", Double(shown.feePence) / 100) }
        if let outcome = shown.outcome { context["outcome"] = outcome }
        if let waiting = shown.waitingFor {
            // Issue 30 §5: the organisation's systems that will answer by their callback, by name.
            let names = Dictionary((current.declaration.systems ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            context["waitingFor"] = waiting.map { names[$0] ?? $0 }.joined(separator: ", ")
        }
        if let refusal = shown.refusal {
            context["refusal"] = ["ground": Self.words(refusal.ground), "reason": refusal.reason, "route": refusal.complaintRoute]
        }
        if let expires = shown.exportExpiresAt, expires > now {
            context["download"] = ["href": "/admin/requests/\(shown.id)/export", "until": current.statutoryClock.day(of: expires).description]
        }
        let documents = try await cases.documents(of: found.id)
        if !documents.isEmpty {
            context["documents"] = documents.map {
                [
                    "href": "/admin/requests/\(shown.id)/documents/\($0.id.lowercasedString)",
                    "type": $0.mediaType.fileExtension.uppercased(), "kilobytes": max(1, $0.bytes / 1024),
                    "at": TextBuffer.rfc3339($0.uploadedAt),
                ]
            }
        }
        // Art 19: the recipients of this person's data, to tell of a rectification, erasure or restriction.
        if [.rectification, .erasure, .parentalDeletion, .restriction].contains(found.kind), let subject = found.subject,
            let summary = try await vault.summary(of: subject)
        {
            let recipients = FulfilmentPlan.recipients(of: Set(summary.categories), in: current.declaration)
            context["recipients"] = recipients
            context["hasRecipients"] = !recipients.isEmpty
        }
        if found.state == .inProgress, [.erasure, .parentalDeletion].contains(found.kind), !(current.declaration.systems ?? []).isEmpty {
            // Issue 30 §4, plan first: what fulfilling would touch in the organisation's systems, row by row (rolled back).
            context["hasSystemPlan"] = true
            do {
                let planned = try await fulfilment.previewErasure(found.id, declaration: current.declaration, actor: key.actor, at: now)
                context["systemPlan"] = planned.map { ["name": $0.systemName, "lines": $0.done + $0.kept] as [String: Any] }
            } catch let refusal as SystemRefusal {
                context["systemPlanError"] = refusal.message
            } catch let refusal as CaseStoreRefusal {
                context["systemPlanError"] = refusal.message
            } catch {
                logger.error("erasure dry run for request \(found.id) failed: \(type(of: error))")
                context["systemPlanError"] = "The dry run could not run; the server log says why."
            }
        }
        if found.state == .inProgress, ![.rectification, .complaint].contains(found.kind) {
            context["canFulfil"] = true
            context["fulfilHint"] = Self.fulfilHint(found.kind)
        }
        if let error { context["error"] = ["message": error.message, "code": error.code] }
        return try pages.render("admin-request", await layoutContext(context))
    }

    static func fulfilHint(_ kind: RequestKind) -> String {
        switch kind {
        case .access, .portability:
            "Builds the export from the vault and the organisation's declared systems (report, JSON, CSV) and closes the case; the requester downloads it from their link."
        case .erasure, .parentalDeletion:
            "Erases the person's data, in the vault and in each declared system by its strategy; data a statute or a legal hold requires is kept, restricted, and the answer says why."
        case .restriction: "Restricts the data: only storage and legal claims are allowed from now on."
        case .objection: "Stops every use on legitimate interests or public task for this person."
        case .marketingOptOut: "Stops marketing to this person at once, even if we hold nothing about them."
        case .consentWithdrawal: "Withdraws every consent in force."
        case .preferences: "Closes the case; the requester changes their consents and preferences on their page."
        case .unpublish: "Stops every purpose that shows this person's details on the website (the site asks the gate before showing them)."
        case .rectification, .complaint, .question: ""
        }
    }

    private func signInPage(error: String?) async throws -> String {
        var context: [String: Any] = ["title": "Sign in"]
        if let error { context["error"] = error }
        return try pages.render("admin-sign-in", await layoutContext(context))
    }

    static func isOpen(_ state: Components.Schemas.RequestCase.StatePayload) -> Bool {
        CaseState(rawValue: state.rawValue)?.isOpen ?? false
    }

    /// `marketing_opt_out` as "marketing opt out".
    static func words(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }

    /// `marketing_opt_out` as "Marketing opt out".
    static func sentence(_ raw: String) -> String {
        let text = RequestKind(rawValue: raw)?.label ?? words(raw)
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}
