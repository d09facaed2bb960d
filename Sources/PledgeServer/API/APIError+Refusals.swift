import HTTPTypes
import PledgeCore
import PledgeStore

/// The statuses of the refusals Core and the store throw, in one place (issue 25 §7): each refusal
/// keeps its own stable code and message; here it gets the HTTP status that fits.
extension APIError {
    /// The API error for a refusal of Core or the store; nil for any other error.
    init?(refusal error: any Error) {
        switch error {
        case let refusal as VaultRefusal:
            self.init(status: refusal == .subjectNotFound ? .notFound : .conflict, code: refusal.code, message: refusal.description)
        case let refusal as GateRefusal:
            self.init(status: .forbidden, code: refusal.code, message: refusal.message)
        case let refusal as Art14Refusal:
            self.init(refusal)
        case let refusal as ConsentRefusal:
            self.init(status: .unprocessableContent, code: refusal.code, message: refusal.message)
        case let refusal as SubjectRefusal:
            self.init(refusal)
        case let refusal as CampaignRefusal:
            self.init(refusal)
        case let refusal as BreachRefusal:
            self.init(refusal)
        case let refusal as DisclosureRefusal:
            self.init(refusal)
        case let refusal as RetentionRefusal:
            self.init(
                status: refusal == .holdNotFound ? .notFound : refusal == .holdLifted ? .conflict : .unprocessableContent, code: refusal.code,
                message: refusal.message)
        case let refusal as PurposeAccessRefusal:
            self.init(refusal)
        case let refusal as InteractionRefusal:
            self.init(status: refusal == .restricted ? .conflict : .forbidden, code: refusal.code, message: refusal.message)
        case let error as IdentifierError:
            self.init(.identifierInvalid, message: error.description)
        case let error as JournalError:
            self.init(.notReadyShuttingDown, message: error.description)
        case let refusal as CaseRefusal:
            // A transition the case's state does not allow is a conflict; any other refusal is about what was asked.
            if case .transition = refusal {
                self.init(status: .conflict, code: refusal.code, message: refusal.message)
            } else {
                self.init(status: .unprocessableContent, code: refusal.code, message: refusal.message)
            }
        case let refusal as BannerAnswerError:
            self.init(status: .unprocessableContent, code: refusal.code, message: refusal.description)
        case let refusal as CollectionRefusal:
            // A use the declaration forbids outright (special data without a condition) is 403; a submission that does not fit it, 422.
            self.init(
                status: refusal.isForbidden ? .forbidden : .unprocessableContent, code: refusal.problems.first?.code.rawValue ?? "collection.invalid",
                message: refusal.problems.map(\.description).joined(separator: " "))
        case let rejection as DeclarationRejection:
            self.init(rejection)
        case let refusal as CaseStoreRefusal:
            let status: HTTPResponse.Status =
                switch refusal {
                case .notFound, .tokenInvalid: .notFound
                case .documentNotRequested, .documentLimit, .subjectChanged: .conflict
                case .documentUnsupported: .unprocessableContent
                }
            self.init(status: status, code: refusal.code, message: refusal.message)
        case let refusal as SystemRefusal:
            // The organisation's own database failed or is not configured: nothing Pledge stores changed.
            let status: HTTPResponse.Status =
                switch refusal {
                case .connectionMissing, .connectionInvalid: .serviceUnavailable
                case .unreachable: .badGateway
                case .erasureIncomplete, .pending, .notPending: .conflict
                case .signatureInvalid: .unauthorized
                case .answerInvalid: .unprocessableContent
                }
            self.init(status: status, code: refusal.code, message: refusal.message)
        default:
            return nil
        }
    }

    /// An Art 14 task refusal with its status: unknown 404, already closed 409, a closure that
    /// cannot stand (an exemption without its reason) 422.
    init(_ refusal: Art14Refusal) {
        let status: HTTPResponse.Status =
            switch refusal {
            case .notFound: .notFound
            case .alreadyClosed: .conflict
            case .exemptionWithoutReason, .unknownHow, .noteTooLong: .unprocessableContent
            }
        self.init(status: status, code: refusal.code, message: refusal.message)
    }

    /// A declaration refused: 409 when its version label is taken by other content, 422 with its findings otherwise.
    init(_ rejection: DeclarationRejection) {
        if case .versionExists = rejection {
            self.init(status: .conflict, code: rejection.code, message: rejection.message)
        } else {
            self.init(status: .unprocessableContent, code: rejection.code, message: rejection.message, findings: rejection.findings)
        }
    }

    /// A key that may not use a purpose, or act at all: 403.
    init(_ refusal: PurposeAccessRefusal) {
        self.init(status: .forbidden, code: refusal.code, message: refusal.message)
    }

    /// A subject that cannot be created or changed as asked: 400 when nothing was asked, 422 otherwise.
    init(_ refusal: SubjectRefusal) {
        self.init(status: refusal == .nothingToChange ? .badRequest : .unprocessableContent, code: refusal.code, message: refusal.message)
    }
}

extension APIError {
    /// A campaign that cannot go out as asked: about what was asked, save one not found and one sent already.
    /// A breach refusal: unknown 404, the ICO or the people told already 409, anything else about what was asked 422.
    init(_ refusal: BreachRefusal) {
        let status: HTTPResponse.Status =
            switch refusal {
            case .notFound: .notFound
            case .alreadyNotified, .individualsAlreadyNotified: .conflict
            default: .unprocessableContent
            }
        self.init(status: status, code: refusal.code, message: refusal.message)
    }

    /// A disclosure refusal: unknown 404, a decision by its logger 403 (four eyes), a step its state does not allow 409, anything else 422.
    init(_ refusal: DisclosureRefusal) {
        let status: HTTPResponse.Status =
            switch refusal {
            case .notFound: .notFound
            case .deciderIsLogger: .forbidden
            case .notPending, .notApproved, .saleNotReleased, .saleCompletedAlready: .conflict
            default: .unprocessableContent
            }
        self.init(status: status, code: refusal.code, message: refusal.message)
    }

    init(_ refusal: CampaignRefusal) {
        let status: HTTPResponse.Status =
            switch refusal {
            case .notFound: .notFound
            case .alreadySent, .notSending, .notStopped: .conflict
            default: .unprocessableContent
            }
        self.init(status: status, code: refusal.code, message: refusal.message)
    }
}
