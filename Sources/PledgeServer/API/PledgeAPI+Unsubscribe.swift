import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// One-click unsubscribe (issue 28 §3; PECR reg 23, RFC 8058, RFC 2369): the link in every marketing
/// message. A GET shows a button and changes nothing; the POST a mailbox provider (or the button)
/// sends unsubscribes at once, with no cookie or sign-in, durably before it answers.
extension PledgeAPI {
    func getUnsubscribePage(_ input: Operations.GetUnsubscribePage.Input) async throws -> Operations.GetUnsubscribePage.Output {
        switch unsubscribeToken(input.path.token) {
        case .success:
            let html = try pages.render("unsubscribe", await layoutContext(["token": input.path.token]))
            return .ok(.init(body: .html(HTTPBody(html))))
        case .failure(.invalid): return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
        case .failure(.expired): return .gone(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.expired)))))
        }
    }

    func unsubscribe(_ input: Operations.Unsubscribe.Input) async throws -> Operations.Unsubscribe.Output {
        guard case .urlEncodedForm(let form) = input.body, form.listUnsubscribe == .oneClick else { throw Self.invalidBody }
        switch unsubscribeToken(input.path.token) {
        case .success(let token):
            try await vault.suppressAddresses(
                of: token.subject, kind: .email, reason: .unsubscribed, campaign: token.campaign, actor: "unsubscribe-link", at: clock())
            // The same page for everyone: rendered once per declaration, not for each unsubscribe.
            let html = try pages.render(
                "message",
                texts: layoutTexts([
                    "title": "You are unsubscribed",
                    "message":
                        "We will send no more marketing emails to your address. Messages about your account or a request you made still reach you.",
                ]))
            return .ok(.init(body: .html(HTTPBody(html))))
        case .failure(.invalid): return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
        case .failure(.expired): return .gone(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.expired)))))
        }
    }

    func unsubscribeByMail(_ input: Operations.UnsubscribeByMail.Input) async throws -> Operations.UnsubscribeByMail.Output {
        guard case .messageRfc822(let body) = input.body else { throw Self.invalidBody }
        _ = try caller()
        // The contract caps the body (ContractRulesMiddleware); only its header section is read.
        let message = try await ArraySlice<UInt8>(collecting: body, upTo: 2 * 1024 * 1024)
        guard let text = UnsubscribeMail.token(in: message) else {
            throw APIError(.unsubscribeMailNoToken, message: "The message's subject names no unsubscribe token; it is left for staff to read.")
        }
        switch unsubscribeToken(text) {
        case .success(let token):
            try await vault.suppressAddresses(
                of: token.subject, kind: .email, reason: .unsubscribed, campaign: token.campaign, actor: "unsubscribe-mail", at: clock())
            return .ok(.init(body: .json(.init(unsubscribed: true, campaign: token.campaign.lowercasedString))))
        case .failure(let refusal):
            throw APIError(
                status: .unprocessableContent, code: refusal.code,
                message: refusal == .expired ? "The unsubscribe token has expired." : "The unsubscribe token is not valid.")
        }
    }

    func getPreferencesPage(_ input: Operations.GetPreferencesPage.Input) async throws -> Operations.GetPreferencesPage.Output {
        switch unsubscribeToken(input.path.token) {
        case .success(let token):
            let current = try inForce()
            guard let sheet = try await vault.preferenceSheet(of: token.subject, declaration: current.declaration, at: clock()) else {
                return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
            }
            var context: [String: Any] = [
                "preferences": Self.sheetContext(sheet, action: "/preferences/\(input.path.token)", clock: current.statutoryClock)
            ]
            if input.query.saved == 1 { context["saved"] = true }
            return .ok(.init(body: .html(HTTPBody(try pages.render("preferences", await layoutContext(context))))))
        case .failure(.invalid): return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
        case .failure(.expired): return .gone(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.expired)))))
        }
    }

    func savePreferencesFromLink(_ input: Operations.SavePreferencesFromLink.Input) async throws -> Operations.SavePreferencesFromLink.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw Self.invalidBody }
        switch unsubscribeToken(input.path.token) {
        case .success(let token):
            let current = try inForce()
            guard let sheet = try await vault.preferenceSheet(of: token.subject, declaration: current.declaration, at: clock()) else {
                return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
            }
            let changes = sheet.changes(form, at: clock())
            try await vault.apply(
                changes, to: token.subject, mechanism: "preference_link", reference: "campaign:\(token.campaign.lowercasedString)",
                noticeVersion: current.notice.version, actor: "preference-link", at: clock())
            return .seeOther(.init(headers: .init(location: "/preferences/\(input.path.token)?saved=1")))
        case .failure(.invalid): return .notFound(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.invalid)))))
        case .failure(.expired): return .gone(.init(body: .html(HTTPBody(try await unsubscribeRefusedPage(.expired)))))
        }
    }

    /// The token `text`, checked against every key a link may have been signed with: an unsubscribe
    /// or preference link's, or with `tracking` a tracking link's (signed under another key).
    func unsubscribeToken(_ text: String, tracking: Bool = false) -> Result<UnsubscribeToken, UnsubscribeToken.Refusal> {
        let today = CalendarDate(utc: clock())
        var refusal = UnsubscribeToken.Refusal.invalid
        for key in tracking ? vault.keys.tracking : vault.keys.unsubscribe {
            do {
                return .success(try UnsubscribeToken(text: text, key: key, today: today))
            } catch {
                if error == .expired { refusal = .expired }
            }
        }
        return .failure(refusal)
    }

    /// The page for a link that does not work, with its code and another way to opt out.
    private func unsubscribeRefusedPage(_ refusal: UnsubscribeToken.Refusal) async throws -> String {
        let contact = registry.current?.declaration.organisation.contact.email.map { " or write to \($0)" } ?? ""
        let what = refusal == .expired ? "This unsubscribe link has expired" : "This unsubscribe link is not valid"
        return try pages.render(
            "message",
            await layoutContext([
                "title": "Link not valid",
                "message": "\(what) (\(refusal.code)). To stop our marketing, use the link in a more recent email, the privacy centre\(contact).",
            ]))
    }
}
