import HTTPTypes
import PledgeCore

extension APIError {
    /// An Art 14 task refusal with its status: unknown 404, already closed 409, a closure that
    /// cannot stand (an exemption without its reason) 422.
    init(_ refusal: Art14Refusal) {
        let status: HTTPResponse.Status = switch refusal {
        case .notFound: .notFound
        case .alreadyClosed: .conflict
        case .exemptionWithoutReason, .unknownHow, .noteTooLong: .unprocessableContent
        }
        self.init(status: status, code: refusal.code, message: refusal.message)
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
