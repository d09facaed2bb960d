import Crypto
import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The privacy centre, for the public (issue 5 §9; C10, C28, C29, C30, C40): make a request, confirm
/// it from the emailed link, follow it, download the export, send an identity document asked for,
/// change consents and marketing choices. Requests that need no judgement are carried out as soon as
/// the requester has confirmed their email.
extension PledgeAPI {
    /// Kinds the form offers, in the order shown.
    static let offered: [RequestKind] = [
        .access, .portability, .rectification, .erasure, .restriction, .objection, .marketingOptOut, .consentWithdrawal, .preferences, .unpublish,
        .parentalDeletion, .complaint, .question,
    ]

    func getPrivacyCentre(_ input: Operations.GetPrivacyCentre.Input) async throws -> Operations.GetPrivacyCentre.Output {
        .ok(.init(body: .html(HTTPBody(try await centreForm(kind: input.query.kind?.rawValue, email: "", name: "", details: "", error: nil)))))
    }

    func submitPrivacyRequest(_ input: Operations.SubmitPrivacyRequest.Input) async throws -> Operations.SubmitPrivacyRequest.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        let email = form.email.trimmingCharacters(in: .whitespacesAndNewlines)
        func again(_ error: String) async throws -> Operations.SubmitPrivacyRequest.Output {
            .unprocessableContent(
                .init(
                    body: .html(
                        HTTPBody(
                            try await centreForm(kind: form.kind, email: email, name: form.name ?? "", details: form.details ?? "", error: error)))))
        }
        guard let kind = RequestKind(rawValue: form.kind) else { return try await again("Choose what you would like us to do.") }
        guard (try? SubjectIdentifier(kind: .email, raw: email)) != nil else {
            return try await again("Enter the email address we can reach you at, like name@example.com.")
        }
        let now = self.clock()
        if case .refused(let retryAfter) = submissions.admit(client: RequestClient.address, recipient: email, at: now) {
            let page = try pages.render(
                "message",
                await layoutContext([
                    "title": "Too many requests", "isCentre": true,
                    "message":
                        "We have had too many requests from here or for this email address. Please try again in \((retryAfter + 59) / 60) minutes.",
                ]))
            return .tooManyRequests(.init(headers: .init(retryAfter: retryAfter), body: .html(HTTPBody(page))))
        }
        let current = try inForce()
        let submitted = try await intake.submit(
            kind, from: email, name: form.name, details: form.details, organisation: current.declaration.organisation.name,
            clock: current.statutoryClock, at: now)
        let page: String
        switch submitted {
        case .opened: page = try await sentPage(email: email, kind: kind, resent: false, asked: kind)
        case .resent(let pending): page = try await sentPage(email: email, kind: pending.kind, resent: true, asked: kind)
        }
        return .ok(.init(body: .html(HTTPBody(page))))
    }

    /// "Check your email"; when the link of a request already waiting was sent again, it says so.
    private func sentPage(email: String, kind: RequestKind, resent: Bool, asked: RequestKind) async throws -> String {
        var context: [String: Any] = ["title": "Check your email", "isCentre": true, "email": email, "label": kind.label]
        if resent {
            context["resent"] = true
            if asked != kind { context["other"] = asked.label }
        }
        return try pages.render("privacy-centre-sent", await layoutContext(context))
    }

    func getVerificationPage(_ input: Operations.GetVerificationPage.Input) async throws -> Operations.GetVerificationPage.Output {
        guard let id = try? await cases.caseFor(token: input.query.token, purpose: .verify, at: clock()), let found = try await cases.find(id) else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        let html = try pages.render(
            "privacy-centre-verify",
            await layoutContext([
                "title": "Confirm your request", "isCentre": true,
                "token": input.query.token, "label": found.kind.label,
            ]))
        return .ok(.init(body: .html(HTTPBody(html))))
    }

    func confirmVerification(_ input: Operations.ConfirmVerification.Input) async throws -> Operations.ConfirmVerification.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        let current = try inForce()
        guard
            let confirmed = try await intake.confirm(
                token: form.token, declaration: current.declaration, noticeVersion: current.notice.version, clock: current.statutoryClock, at: clock()
            )
        else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        return .seeOther(
            .init(headers: .init(location: "/privacy-centre/requests/\(confirmed.request.id.lowercasedString)?key=\(confirmed.followKey)")))
    }

    func getRequestStatusPage(_ input: Operations.GetRequestStatusPage.Input) async throws -> Operations.GetRequestStatusPage.Output {
        guard let found = try await followed(input.path.requestId, key: input.query.key) else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        let notice =
            input.query.saved != nil
            ? "Your choices are saved and take effect now."
            : input.query.uploaded != nil ? "Thank you: we have your document. We will check it, delete it, and carry on with your request." : nil
        return .ok(.init(body: .html(HTTPBody(try await statusPage(found, key: input.query.key, notice: notice)))))
    }

    func uploadIdentityDocument(_ input: Operations.UploadIdentityDocument.Input) async throws -> Operations.UploadIdentityDocument.Output {
        guard case .multipartForm(let form) = input.body else { throw Self.invalidBody }
        guard let found = try await followed(input.path.requestId, key: input.query.key) else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        var bytes: [UInt8] = []
        parts: for try await part in form {
            switch part {
            case .document(let document):
                // Read no further than one byte past the limit: a larger file is refused, not buffered.
                for try await chunk in document.payload.body {
                    bytes += chunk
                    if bytes.count > IdentityDocument.maximumBytes { break parts }
                }
            case .undocumented(let other):
                _ = try await [UInt8](collecting: other.body, upTo: 64 * 1024)  // a part must be read before the next
            }
        }
        let reference = found.id.lowercasedString
        do {
            _ = try await cases.storeDocument(bytes, for: found.id, actor: "requester", at: clock())
        } catch let refusal as CaseStoreRefusal where refusal == .documentUnsupported {
            return .unprocessableContent(.init(body: .html(HTTPBody(try await statusPage(found, key: input.query.key, error: refusal.message)))))
        } catch let refusal as CaseStoreRefusal where refusal == .documentNotRequested || refusal == .documentLimit {
            return .conflict(.init(body: .html(HTTPBody(try await statusPage(found, key: input.query.key, error: refusal.message)))))
        }
        return .seeOther(.init(headers: .init(location: "/privacy-centre/requests/\(reference)?key=\(input.query.key)&uploaded=1")))
    }

    /// The requester's view of their case: where it stands, the answer, the download, the document
    /// asked for, and their preferences.
    private func statusPage(_ found: RequestCase, key: String, notice: String? = nil, error: String? = nil) async throws -> String {
        let now = clock()
        let clock = try inForce().statutoryClock
        let base = "/privacy-centre/requests/\(found.id.lowercasedString)"
        var context: [String: Any] = [
            "title": "Your request", "isCentre": true, "label": found.kind.label, "reference": found.id.lowercasedString,
            "received": clock.day(of: found.timing.receivedAt).description, "state": Self.stateText(found.state),
            "withheld": found.withheld.map { ["ground": $0.ground.label, "detail": $0.detail] }, "hasWithheld": !found.withheld.isEmpty,
        ]
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if found.state.isOpen { context["due"] = found.dueOn(clock: clock, at: now).description }
        if let outcome = found.outcome { context["outcome"] = outcome }
        if let ground = found.refusalGround {
            context["refusal"] = [
                "ground": ground.rawValue.replacingOccurrences(of: "_", with: " "), "reason": found.refusalReason ?? "", "route": complaintRoute(),
            ]
        }
        if let expires = try await cases.exportExpiry(for: found.id), expires > now {
            context["download"] = ["href": "\(base)/download?key=\(key)", "until": clock.day(of: expires).description]
        }
        if found.awaitsDocuments {
            context["documents"] = [
                "action": "\(base)/documents?key=\(key)", "reason": found.documentsReason ?? "",
                "received": try await cases.documents(of: found.id).count,
            ]
        }
        if let sheet = try await preferenceSheet(for: found) {
            context["preferences"] = Self.sheetContext(sheet, action: "\(base)/preferences?key=\(key)", clock: clock)
        }
        return try pages.render("privacy-centre-status", await layoutContext(context))
    }

    func downloadRequestExport(_ input: Operations.DownloadRequestExport.Input) async throws -> Operations.DownloadRequestExport.Output {
        guard let found = try await followed(input.path.requestId, key: input.query.key),
            let zip = try await cases.export(for: found.id, actor: "requester", at: clock())
        else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        return .ok(.init(body: .applicationZip(HTTPBody(zip))))
    }

    func savePreferences(_ input: Operations.SavePreferences.Input) async throws -> Operations.SavePreferences.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        guard let found = try await followed(input.path.requestId, key: input.query.key), let subject = found.subject,
            let sheet = try await preferenceSheet(for: found)
        else {
            return .notFound(.init(body: .html(HTTPBody(try await invalidLinkPage()))))
        }
        let changes = sheet.changes(form, at: clock())
        let reference = found.id.lowercasedString
        try await vault.apply(
            changes, to: subject, mechanism: "privacy_centre_preferences", reference: "request:\(reference)",
            noticeVersion: try inForce().notice.version,
            actor: "requester", at: clock())
        return .seeOther(.init(headers: .init(location: "/privacy-centre/requests/\(reference)?key=\(input.query.key)&saved=1")))
    }

    // MARK: Helpers

    /// The preference sheet of the subject a verified case is about, when we hold data about them.
    private func preferenceSheet(for found: RequestCase) async throws -> PreferenceSheet? {
        guard found.state != .awaitingVerification, let subject = found.subject else { return nil }
        return try await vault.preferenceSheet(of: subject, declaration: try inForce().declaration, at: clock())
    }

    static func sheetContext(_ sheet: PreferenceSheet, action: String, clock: StatutoryClock) -> [String: Any] {
        var context: [String: Any] = [
            "action": action,
            "consents": sheet.consents.map { consent in
                [
                    "purpose": consent.purpose, "wording": consent.wording, "given": consent.given, "hasChannels": !consent.channels.isEmpty,
                    "channels": consent.channels.map {
                        ["value": "\(consent.purpose).\($0.medium.rawValue)", "wording": consent.wording(on: $0.medium), "given": $0.given]
                    },
                ] as [String: Any]
            },
            "objectable": sheet.objectable.map { ["purpose": $0.purpose, "name": $0.name, "basis": $0.basis.label, "objected": $0.objected] },
            "hasConsents": !sheet.consents.isEmpty, "hasObjectable": !sheet.objectable.isEmpty, "hasMarketing": sheet.hasMarketing,
        ]
        if let stopped = sheet.marketingStoppedAt { context["marketingStopped"] = clock.day(of: stopped).description }
        if let frequency = sheet.digestFrequency {
            context["hasDigests"] = true
            context["digestOptions"] = DigestFrequency.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == frequency] }
        }
        if let paused = sheet.pausedUntil { context["paused"] = clock.day(of: paused).description }
        context["pauseOptions"] = MarketingPause.lengths.map { ["value": String($0), "label": "for \($0) days"] }
        return context
    }

    /// The case, when `key` is a valid follow key for it.
    private func followed(_ requestId: String, key: String) async throws -> RequestCase? {
        guard let id = UUID(canonical: requestId), let keyed = try? await cases.caseFor(token: key, purpose: .follow, at: clock()), keyed == id else {
            return nil
        }
        return try await cases.find(id)
    }

    private func centreForm(kind: String?, email: String, name: String, details: String, error: String?) async throws -> String {
        var context: [String: Any] = [
            "title": "Privacy centre", "isCentre": true, "email": email, "name": name, "details": details,
            "kinds": Self.offered.map {
                ["value": $0.rawValue, "label": $0.label.prefix(1).uppercased() + $0.label.dropFirst(), "selected": $0.rawValue == kind]
            },
        ]
        if let error { context["error"] = error }
        return try pages.render("privacy-centre", await layoutContext(context))
    }

    private func invalidLinkPage() async throws -> String {
        try pages.render("not-found", await layoutContext(["title": "Link not valid", "message": CaseStoreRefusal.tokenInvalid.message]))
    }

    static func stateText(_ state: CaseState) -> String {
        switch state {
        case .awaitingVerification: "Waiting for you to confirm it from the email we sent"
        case .awaitingClarification: "Waiting for your answer to our question"
        case .awaitingFee: "Waiting for the fee"
        case .inProgress: "We are working on it"
        case .acknowledged: "Received; we are looking into it"
        case .completed: "Complete"
        case .refused: "Refused"
        case .withdrawn: "Withdrawn"
        }
    }
}

extension PreferenceSheet {
    /// What the submitted preference form changes, at `instant`.
    func changes(_ form: Components.Schemas.PreferencesForm, at instant: Date) -> PreferenceChanges {
        let pause: PauseChoice? =
            switch form.pause {
            case .resume?: .resume
            case let days? where Int(days.rawValue) != nil: Int(days.rawValue).map(PauseChoice.days)
            default: nil
            }
        return changes(
            consented: Set(form.consent ?? []), objectingTo: Set(form.object ?? []), stopMarketing: form.marketing == .stop,
            channels: Set(form.channel ?? []),
            digest: form.digest.flatMap { DigestFrequency(rawValue: $0.rawValue) }, pause: pause, at: instant)
    }
}
