import Foundation
import HTTPTypes
import PledgeCore
import PledgeStore

/// What handlers share: the caller's key, subject ids from paths, purposes a key may use, and
/// turning store and core refusals into API errors.
extension PledgeAPI {
    /// The key of this request (set by `APIKeyMiddleware` for every protected operation).
    func caller() throws -> APIKey {
        guard let key = RequestKey.current else {
            throw APIError(status: .unauthorized, code: "auth.missing", message: "This operation needs an API key.")
        }
        return key
    }

    /// The declaration in force, with its gate.
    func inForce() throws -> DeclarationRegistry.Current {
        guard let current = registry.current else {
            throw APIError(status: .serviceUnavailable, code: "not-ready.declaration", message: "No declaration is in force.")
        }
        return current
    }

    static func subjectID(_ text: String) throws -> UUID {
        guard let id = UUID(canonical: text) else {
            throw APIError(status: .badRequest, code: "request.invalid-subject-id", message: "'\(text)' is not a subject id (a UUID).")
        }
        return id
    }

    static let subjectNotFound = APIError(status: .notFound, code: "subject.not-found", message: VaultRefusal.subjectNotFound.description)

    /// The subject's gate state, or 404.
    func state(of id: UUID) async throws -> SubjectState {
        guard let state = try await vault.state(of: id) else { throw Self.subjectNotFound }
        return state
    }

    /// Refuses a purpose the key may not use (`PurposeAccess`).
    func authorise(purpose: String, key: APIKey, declaration: Declaration) throws {
        if let refusal = PurposeAccess.refusal(role: key.role, scopedTo: key.purposes, keyName: key.name, purpose: purpose, in: declaration) {
            throw APIError(refusal)
        }
    }

    /// The recipient a key acts as: a processor's key reads data as that recipient, so the gate checks its contract and transfer.
    static func recipient(of key: APIKey) -> String? {
        if case .processor(let name) = key.role { return name }
        return nil
    }

    /// Runs a store call, turning its refusals into API errors.
    func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as VaultRefusal {
            switch refusal {
            case .subjectNotFound: throw Self.subjectNotFound
            case .identifierTaken, .legalHold: throw APIError(status: .conflict, code: refusal.code, message: refusal.description)
            }
        } catch let refusal as GateRefusal {
            throw APIError(status: .forbidden, code: refusal.code, message: refusal.message)
        } catch let refusal as Art14Refusal {
            throw APIError(refusal)
        } catch let refusal as ConsentRefusal {
            throw APIError(status: .unprocessableContent, code: refusal.code, message: refusal.message)
        } catch let refusal as SubjectRefusal {
            throw APIError(refusal)
        } catch let refusal as InteractionRefusal {
            throw APIError(status: refusal == .restricted ? .conflict : .forbidden, code: refusal.code, message: refusal.message)
        } catch let error as IdentifierError {
            throw APIError(status: .unprocessableContent, code: "identifier.invalid", message: error.description)
        } catch let error as JournalError {
            throw APIError(status: .serviceUnavailable, code: "not-ready.shutting-down", message: error.description)
        } catch let refusal as CaseRefusal {
            if case .transition = refusal { throw APIError(status: .conflict, code: refusal.code, message: refusal.message) }
            throw APIError(status: .unprocessableContent, code: refusal.code, message: refusal.message)
        } catch let refusal as CaseStoreRefusal {
            let status: HTTPResponse.Status = switch refusal {
            case .notFound, .tokenInvalid: .notFound
            case .documentNotRequested, .documentLimit, .subjectChanged: .conflict
            case .documentUnsupported: .unprocessableContent
            }
            throw APIError(status: status, code: refusal.code, message: refusal.message)
        }
    }

    static func reasons(_ reasons: [DenialReason]) -> [Components.Schemas.Reason] {
        reasons.map { .init(code: $0.code, message: $0.message) }
    }
}
