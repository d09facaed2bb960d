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
            throw APIError(.authMissing, message: "This operation needs an API key.")
        }
        return key
    }

    /// The declaration in force, with its gate.
    func inForce() throws -> DeclarationRegistry.Current {
        guard let current = registry.current else {
            throw APIError(.notReadyDeclaration, message: "No declaration is in force.")
        }
        return current
    }

    /// The UUID in a path of a register without a code of its own (a breach, a disclosure, a hold);
    /// `request.invalid-value` naming what it should have been otherwise.
    static func registerID(_ text: String, of what: String) throws -> UUID {
        guard let id = UUID(canonical: text) else {
            throw APIError(.requestInvalidValue, message: "'\(text.prefix(40))' is not a \(what) id (a UUID).")
        }
        return id
    }

    static func subjectID(_ text: String) throws -> UUID {
        guard let id = UUID(canonical: text) else {
            throw APIError(.requestInvalidSubjectId, message: "'\(text)' is not a subject id (a UUID).")
        }
        return id
    }

    static let subjectNotFound = APIError(.subjectNotFound, message: VaultRefusal.subjectNotFound.description)

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

    /// Runs a store call, turning its refusals into API errors (`APIError(refusal:)`).
    func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw APIError(refusal: error) ?? error
        }
    }

    static func reasons(_ reasons: [DenialReason]) -> [Components.Schemas.Reason] {
        reasons.map { .init(code: $0.code, message: $0.message) }
    }
}
