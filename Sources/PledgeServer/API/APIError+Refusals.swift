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
}
