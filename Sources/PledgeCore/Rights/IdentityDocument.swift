import Foundation

/// A copy of an identity document sent for a staff check (C29). Asked for only with a recorded
/// reasonable doubt (UK GDPR Art 12(6), Recital 64), kept sealed, and deleted once the check is over
/// (Art 5(1)(c) and (e): no more, and for no longer, than the check needs; ICO guidance on verifying identity).
public enum IdentityDocument {
    /// The largest copy accepted: a phone photo or a scan fits well within it.
    public static let maximumBytes = 5 * 1024 * 1024
    /// The most documents one case keeps: both sides of a card and one more, such as a proof of
    /// address. No more is needed to confirm an identity (UK GDPR Art 5(1)(c)), and without a
    /// limit one case took 52 MB (issue 24 finding 8).
    public static let maximumPerCase = 3

    /// The formats accepted, told apart by their first bytes rather than by what the browser claims.
    public enum MediaType: String, Sendable, CaseIterable {
        case pdf = "application/pdf"
        case png = "image/png"
        case jpeg = "image/jpeg"

        /// The type of `bytes`, or nil when they are none of the accepted formats.
        public init?(sniffing bytes: some Collection<UInt8>) {
            let head = Array(bytes.prefix(8))
            if head.starts(with: Array("%PDF-".utf8)) {
                self = .pdf
            } else if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else {
                return nil
            }
        }

        public var fileExtension: String {
            switch self {
            case .pdf: "pdf"
            case .png: "png"
            case .jpeg: "jpg"
            }
        }
    }
}

extension RequestCase {
    /// Whether staff have asked for a document and are waiting for it.
    public var awaitsDocuments: Bool { state == .awaitingVerification && documentsReason != nil && !documentsDeleted }
}
