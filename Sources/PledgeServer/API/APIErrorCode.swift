import HTTPTypes

/// Every error code the HTTP layer itself answers with, and its status: one place to find them (issue
/// 25 §7). Refusals from Core and the store carry their own codes; `APIError+Refusals.swift` gives
/// them their statuses.
enum APIErrorCode: String, Sendable, CaseIterable {
    case authFormToken = "auth.form-token"
    case authInvalid = "auth.invalid"
    case authMissing = "auth.missing"
    case authRole = "auth.role"
    case authSessionEnded = "auth.session-ended"
    case caseDocumentNotFound = "case.document-not-found"
    case caseExportMissing = "case.export-missing"
    case caseNotFound = "case.not-found"
    case caseReceivedInFuture = "case.received-in-future"
    case collectInvalid = "collect.invalid"
    case consentBannerOutdated = "consent.banner-outdated"
    case consentNotFound = "consent.not-found"
    case consentNoticeVersionUnknown = "consent.notice-version-unknown"
    case identifierInvalid = "identifier.invalid"
    case interactionRetentionUnknown = "interaction.retention-unknown"
    case internalError = "internal"
    case notReadyDatabase = "not-ready.database"
    case notReadyDeclaration = "not-ready.declaration"
    case notReadyShuttingDown = "not-ready.shutting-down"
    case noticeNotFound = "notice.not-found"
    case noticeNotInForce = "notice.not-in-force"
    case purposeUnknown = "purpose.unknown"
    case requestInvalidBody = "request.invalid-body"
    case requestInvalid = "request.invalid"
    case requestInvalidConsentId = "request.invalid-consent-id"
    case requestInvalidDocumentId = "request.invalid-document-id"
    case requestInvalidTaskId = "request.invalid-task-id"
    case requestInvalidDate = "request.invalid-date"
    case requestInvalidQuery = "request.invalid-query"
    case requestInvalidRequestId = "request.invalid-request-id"
    case requestInvalidSubjectId = "request.invalid-subject-id"
    case requestInvalidValue = "request.invalid-value"
    case requestTooLarge = "request.too-large"
    case requestUnsupportedMediaType = "request.unsupported-media-type"
    case routeMethodNotAllowed = "route.method-not-allowed"
    case routeNotFound = "route.not-found"
    case subjectIdentifierMissing = "subject.identifier-missing"
    case subjectNotFound = "subject.not-found"
    case unsubscribeMailNoToken = "unsubscribe.mail-no-token"

    /// The status an error with this code answers with, unless the call names another.
    var status: HTTPResponse.Status {
        switch self {
        case .collectInvalid, .purposeUnknown, .requestInvalid, .requestInvalidBody, .requestInvalidConsentId, .requestInvalidDocumentId,
            .requestInvalidTaskId, .requestInvalidDate, .requestInvalidQuery, .requestInvalidRequestId, .requestInvalidSubjectId,
            .requestInvalidValue:
            .badRequest
        case .caseExportMissing, .consentBannerOutdated: .conflict
        case .requestTooLarge: .contentTooLarge
        case .authFormToken, .authRole: .forbidden
        case .internalError: .internalServerError
        case .routeMethodNotAllowed: .methodNotAllowed
        case .caseDocumentNotFound, .caseNotFound, .consentNotFound, .noticeNotFound, .noticeNotInForce, .routeNotFound, .subjectNotFound: .notFound
        case .notReadyDatabase, .notReadyDeclaration, .notReadyShuttingDown: .serviceUnavailable
        case .authInvalid, .authMissing, .authSessionEnded: .unauthorized
        case .caseReceivedInFuture, .consentNoticeVersionUnknown, .identifierInvalid, .interactionRetentionUnknown, .subjectIdentifierMissing,
            .unsubscribeMailNoToken:
            .unprocessableContent
        case .requestUnsupportedMediaType: .unsupportedMediaType
        }
    }
}

extension APIError {
    /// An error of the HTTP layer's own, with its code's status unless `status` names another.
    init(_ code: APIErrorCode, status: HTTPResponse.Status? = nil, message: String) {
        self.init(status: status ?? code.status, code: code.rawValue, message: message)
    }
}
