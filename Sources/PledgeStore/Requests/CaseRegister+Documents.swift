import Foundation
import PledgeCore
import SQLKit

/// An identity document held for a case, without its content.
public struct StoredDocument: Sendable, Equatable {
    public var id: UUID
    public var mediaType: IdentityDocument.MediaType
    public var bytes: Int
    public var uploadedAt: Date
}

extension CaseRegister {
    /// Keeps a copy of an identity document for the staff check (C29), sealed with the case key. Refused
    /// unless staff asked for one and are still waiting; refused, with nothing stored, when it is not a
    /// JPEG, PNG or PDF of at most `IdentityDocument.maximumBytes`, or when the case holds
    /// `IdentityDocument.maximumPerCase` already.
    public func storeDocument(_ bytes: [UInt8], for id: UUID, actor: String, at instant: Date) async throws -> StoredDocument {
        guard bytes.count <= IdentityDocument.maximumBytes, let type = IdentityDocument.MediaType(sniffing: bytes) else {
            throw CaseStoreRefusal.documentUnsupported
        }
        guard let found = try await find(id) else { throw CaseStoreRefusal.notFound }
        guard found.awaitsDocuments else { throw CaseStoreRefusal.documentNotRequested }
        let document = StoredDocument(id: UUID(), mediaType: type, bytes: bytes.count, uploadedAt: instant)
        let sealed = try await caseKey(id, in: sql).seal(bytes: Data(bytes), context: Self.documentContext(document.id, of: id))
        try await journal.commit(
            JournalUnit { sql in
                let held = try await sql.count(
                    "SELECT COUNT(*) AS n FROM request_documents WHERE request_id = \(bind: id.storedText)", table: "request_documents")
                guard held < IdentityDocument.maximumPerCase else { throw CaseStoreRefusal.documentLimit }
                try await sql.insert(into: "request_documents").columns("id", "request_id", "media_type", "bytes", "uploaded_us", "sealed")
                    .values(
                        [document.id.storedText, id.storedText, type.rawValue, Int64(bytes.count), instant.microseconds, sealed]
                            as [any Encodable & Sendable]
                    ).run()
                try await Self.appendEvent(
                    id: id.storedText, action: "document_received", state: found.state, detail: "\(type.fileExtension), \(bytes.count) bytes",
                    actor: actor, at: instant, in: sql)
                return [
                    AuditRecord(actor: actor, action: "request.document-store", object: "request:\(id.storedText)", field: type.rawValue, at: instant)
                ]
            })
        return document
    }

    /// The documents held for a case, oldest first.
    public func documents(of id: UUID) async throws -> [StoredDocument] {
        try await sql.raw(
            "SELECT id, media_type, bytes, uploaded_us FROM request_documents WHERE request_id = \(bind: id.storedText) ORDER BY uploaded_us"
        )
        .all().compactMap(Self.storedDocument)
    }

    /// One document, opened for the staff check; the read is audited.
    public func document(_ documentID: UUID, of id: UUID, actor: String, at instant: Date) async throws -> (StoredDocument, Data)? {
        guard
            let row = try await sql.raw(
                """
                SELECT id, media_type, bytes, uploaded_us, sealed FROM request_documents
                WHERE id = \(bind: documentID.storedText) AND request_id = \(bind: id.storedText)
                """
            ).first(), let stored = try Self.storedDocument(row)
        else { return nil }
        let bytes = try await caseKey(id, in: sql).open(
            bytes: try row.decode(column: "sealed", as: Data.self), context: Self.documentContext(documentID, of: id))
        try await journal.commit(
            JournalUnit(audit: [AuditRecord(actor: actor, action: "request.document-read", object: "request:\(id.storedText)", at: instant)]))
        return (stored, bytes)
    }

    private static func storedDocument(_ row: any SQLRow) throws -> StoredDocument? {
        guard let documentID = UUID(canonical: try row.decode(column: "id", as: String.self)),
            let type = IdentityDocument.MediaType(rawValue: try row.decode(column: "media_type", as: String.self))
        else { return nil }
        return StoredDocument(
            id: documentID, mediaType: type, bytes: Int(try row.decode(column: "bytes", as: Int64.self)),
            uploadedAt: Date(microseconds: try row.decode(column: "uploaded_us", as: Int64.self)))
    }

    /// Deletes the case's documents inside `sql` once the check is over, and says whether there were any.
    static func deleteDocuments(of id: UUID, in sql: any SQLDatabase) async throws -> Bool {
        let held =
            try await sql.raw("SELECT COUNT(*) AS n FROM request_documents WHERE request_id = \(bind: id.storedText)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        guard held > 0 else { return false }
        try await sql.raw("DELETE FROM request_documents WHERE request_id = \(bind: id.storedText)").run()
        return true
    }

    static func documentContext(_ documentID: UUID, of id: UUID) -> String { "request:\(id.storedText)/document/\(documentID.storedText)" }
}
