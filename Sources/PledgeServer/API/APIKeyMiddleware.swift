import Foundation
import HTTPTypes
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The API key of the request being handled, set by `APIKeyMiddleware` for the handler.
enum RequestKey {
    @TaskLocal static var current: APIKey?
    /// The console session's token when the key came by the console's cookie rather than the
    /// Authorization header: a console form must then carry the token derived from it
    /// (`ConsoleSessions.formToken`), and sign-out ends that session.
    @TaskLocal static var fromCookie: String?

    /// The token a console page puts in its forms: derived from the cookie's session, empty when
    /// the key came by header (a form is then not open to cross-site posting).
    static var formToken: String { fromCookie.map(ConsoleSessions.formToken(for:)) ?? "" }
}

/// Every non-public operation needs an API key whose role allows it (issue 3 §7). A processor's
/// key works only while its declared Art 28 contract is in force. Operations not listed here are
/// refused to every role but admin, so a new route is closed until someone decides otherwise.
struct APIKeyMiddleware: ServerMiddleware {
    static let publicOperations: Set<String> = [
        "getHealth", "getReadiness", "getMetrics", "getOpenAPIDocument", "getPrivacyPage", "getPrivacyVersionPage", "listNotices", "getNotice",
        // The banner and a visitor's own record: used by anonymous visitors; the consent id is their secret.
        "getBanner", "recordVisitorConsent", "getVisitorConsent", "getConsentScript", "getTrackerScript",
        // Page views from the tracker: anonymous by design.
        "collectPageView",
        // The privacy centre: anyone may ask; what they see of a case needs the key emailed to them.
        "getPrivacyCentre", "submitPrivacyRequest", "getVerificationPage", "confirmVerification", "getRequestStatusPage", "downloadRequestExport",
        "savePreferences",
        "uploadIdentityDocument",
        // Unsubscribing: the link's token is the recipient's secret (RFC 8058: no cookie, no sign-in).
        "getUnsubscribePage", "unsubscribe", "getPreferencesPage", "savePreferencesFromLink",
        // Tracking links: the token is the recipient's; a recording needs their tracking consent.
        "trackOpen", "trackClick",
        // The console's sign-in checks the key itself.
        "getSignInPage", "signIn", "signOut",
        // A slow system's answer: signed with that system's own secret (HMAC, constant time, timestamp window).
        "receiveSystemAnswer",
    ]

    /// Pages of the admin console a browser opens: the key may come in the `pledge_admin` cookie.
    /// Only safe (GET) pages: a cookie is sent on cross-site requests too, so it never authorises a change.
    static let cookiePages: Set<String> = [
        "getStatisticsPage", "getCaseQueuePage", "getCasePage", "getCaseExportDownload", "getCaseDocument", "getArt14TasksPage",
        "getCampaignsPage", "getCampaignPage", "getSuppressionsPage", "getBreachesPage", "getConsoleHome", "getDisclosuresPage", "getRetentionPage",
    ]
    /// Console forms that change something: with the cookie they also need the page's form token,
    /// which the handler checks when it reads the form.
    static let cookieForms: Set<String> = [
        "submitCaseAction", "submitCaseFulfilment", "submitArt14Closure", "submitCampaignDraft", "submitCampaignSend", "submitCampaignControl",
        "submitSuppressionForm", "submitBreachForm", "submitBreachNoticeForm", "submitDisclosureDecisionForm", "submitRetentionForm",
    ]
    static let adminCookie = "pledge_admin"

    static let permissions: [String: Permission] = [
        "getDeclarationStatus": .manageDeclaration, "publishDeclaration": .manageDeclaration,
        "createSubject": .writeSubjects, "findSubject": .readSubjects, "getSubject": .readSubjects, "eraseSubject": .erase,
        "changeSubject": .writeSubjects, "recordObjection": .writeConsents,
        "collectData": .writeData, "readData": .readData, "getSubjectInbox": .readData, "reportBreach": .reportBreaches,
        "listBreaches": .manageBreaches, "getBreach": .manageBreaches, "assessBreach": .manageBreaches, "recordBreachNotification": .manageBreaches,
        "sendBreachNotice": .manageBreaches, "exportBreachRegister": .manageBreaches,
        "getBreachesPage": .manageBreaches, "submitBreachForm": .manageBreaches, "submitBreachNoticeForm": .manageBreaches,
        "getRetentionPlan": .manageRetention, "runRetention": .manageRetention, "listRetentionHolds": .manageRetention,
        "placeRetentionHold": .manageRetention, "liftRetentionHold": .manageRetention, "getRetentionPage": .manageRetention,
        "submitRetentionForm": .manageRetention,
        "logDisclosure": .logDisclosures, "listDisclosures": .logDisclosures, "decideDisclosure": .decideDisclosures,
        "releaseDisclosure": .decideDisclosures, "completeSale": .decideDisclosures, "getDisclosuresPage": .logDisclosures,
        "submitDisclosureDecisionForm": .decideDisclosures,
        "getConsoleHome": .readWorkspace,
        "recordConsent": .writeConsents, "listConsents": .readConsents,
        "addInteraction": .writeInteractions, "listInteractions": .readInteractions,
        "decide": .decide, "getAuditTrail": .readAudit,
        "getStatistics": .readStatistics, "getStatisticsPage": .readStatistics,
        "createRequest": .handleRequests, "listRequests": .handleRequests, "getRequest": .handleRequests,
        "actOnRequest": .handleRequests, "fulfilRequest": .handleRequests, "correctInSystems": .handleRequests,
        "previewErasureInSystems": .handleRequests, "getRequestExport": .handleRequests,
        "getCaseQueuePage": .handleRequests, "getCasePage": .handleRequests, "submitCaseAction": .handleRequests,
        "submitCaseFulfilment": .handleRequests, "getCaseExportDownload": .handleRequests, "getCaseDocument": .handleRequests,
        "listArt14Tasks": .handleRequests, "closeArt14Task": .handleRequests, "getArt14TasksPage": .handleRequests,
        "submitArt14Closure": .handleRequests,
        "addSuppression": .manageSuppressions, "lookUpSuppression": .manageSuppressions, "reportBounce": .manageSuppressions,
        "unsubscribeByMail": .manageSuppressions,
        "previewCampaign": .sendMarketing,
        "createCampaign": .sendMarketing, "getCampaign": .sendMarketing, "sendCampaign": .sendMarketing, "resendCampaign": .sendMarketing,
        "stopCampaign": .sendMarketing, "resumeCampaign": .sendMarketing,
        "getCampaignsPage": .sendMarketing, "submitCampaignDraft": .sendMarketing, "getCampaignPage": .sendMarketing,
        "submitCampaignSend": .sendMarketing, "submitCampaignControl": .sendMarketing, "getSuppressionsPage": .manageSuppressions,
        "submitSuppressionForm": .manageSuppressions,
    ]

    let keys: APIKeyStore
    /// The console's sessions, which the `pledge_admin` cookie names.
    let sessions: ConsoleSessions
    let registry: DeclarationRegistry
    let clock: @Sendable () -> Date

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try await admitted(operationID, headers: request.headerFields) { try await next(request, body, metadata) }
    }

    /// Runs `operation` when the request's key may call `operationID`, with the key in `RequestKey`;
    /// throws the refusal otherwise. Public operations run without a key. Also used by the routes
    /// that serve an operation outside the OpenAPI handlers (`DirectOperationRoute`).
    func admitted<T>(_ operationID: String, headers: HTTPFields, _ operation: () async throws -> T) async throws -> T {
        if Self.publicOperations.contains(operationID) {
            // Sign-out ends the session its cookie names.
            guard operationID == "signOut", let cookie = Self.cookie(Self.adminCookie, in: headers) else { return try await operation() }
            return try await RequestKey.$fromCookie.withValue(cookie) { try await operation() }
        }
        let bearer = Self.bearer(headers)
        let cookie =
            bearer == nil && (Self.cookiePages.contains(operationID) || Self.cookieForms.contains(operationID))
            ? Self.cookie(Self.adminCookie, in: headers) : nil
        let now = clock()
        let key: APIKey
        if let bearer {
            guard let found = try await keys.authenticate(bearer, at: now) else {
                throw APIError(.authInvalid, message: "The API key is unknown or has been revoked.")
            }
            key = found
        } else if let cookie {
            guard let found = try await sessions.key(for: cookie, at: now) else {
                throw APIError(.authSessionEnded, message: "The console session has ended (signed out, expired, or its key revoked). Sign in again.")
            }
            key = found
        } else {
            throw APIError(
                .authMissing, message: "This operation needs an API key: 'Authorization: Bearer <key>' (make one with `pledge keys create`).")
        }
        let permission = Self.permissions[operationID] ?? .manageKeys
        guard key.role.allows(permission) else {
            throw APIError.roleRefused(key.role, needs: permission)
        }
        if let refusal = PurposeAccess.contractRefusal(role: key.role, in: registry.current?.declaration, on: CalendarDate(utc: now)) {
            throw APIError(refusal)
        }
        return try await RequestKey.$current.withValue(key) {
            try await RequestKey.$fromCookie.withValue(cookie) { try await operation() }
        }
    }

    /// The token of `Authorization: Bearer <token>` (the scheme in any case, RFC 9110 §11.1). On
    /// bytes: lower-casing and trimming the header through Foundation cost 3% of every keyed request.
    static func bearer(_ headers: HTTPFields) -> String? {
        guard let header = headers[.authorization] else { return nil }
        let scheme = "bearer ".utf8
        var token = Substring(header).utf8
        guard token.count > scheme.count, zip(token, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        token = token.dropFirst(scheme.count)
        while let first = token.first, first == 0x20 || first == 0x09 { token = token.dropFirst() }
        while let last = token.last, last == 0x20 || last == 0x09 { token = token.dropLast() }
        return token.isEmpty ? nil : String(decoding: token, as: UTF8.self)
    }

    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return String(parts[1]) }
            }
        }
        return nil
    }
}
