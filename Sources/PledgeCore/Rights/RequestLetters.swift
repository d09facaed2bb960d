import Foundation

/// The emails a requester receives from the privacy centre (C28, C29, C40): the link that confirms a
/// request, and once confirmed, its answer or when it is due. Plain text, no personal data beyond
/// what the requester gave; the link carries a one-time token.
public enum RequestLetters {
    /// A subject and a text.
    public struct Letter: Sendable, Equatable {
        public var subject: String
        public var text: String
    }

    /// How long a confirmation link works, in words for the letter.
    static let linkLifetime = "\(Int(UnverifiedRequest.lifetime / 3600)) hours"

    /// The letter with the link that confirms a request received on `day`; for a complaint it is also
    /// the acknowledgement (DPA 2018 s.164A(3)(a)).
    public static func verification(kind: RequestKind, link: String, organisation: String, receivedOn day: CalendarDate) -> Letter {
        var text = """
            We received your request for \(kind.label) on \(day).

            To confirm it came from you, open this link within \(linkLifetime) and press Confirm:
            \(link)

            If you did not make this request, ignore this email and nothing will happen.
            """
        if kind.acknowledgedOnReceipt {
            text =
                "We have received your complaint and will look into it. We will tell you what we find and what we do, without undue delay.\n\n" + text
        }
        return Letter(subject: "\(organisation): confirm your privacy request", text: text)
    }

    /// The letter after confirmation: the answer when the request is complete, otherwise the day it
    /// is due (UK GDPR Art 12(3)); `link` follows the request.
    public static func confirmed(_ request: RequestCase, link: String, organisation: String, dueOn: CalendarDate) -> Letter {
        let downloads = request.kind == .access || request.kind == .portability
        let text =
            request.state == .completed
            ? "Your request for \(request.kind.label) is complete.\n\n\(request.outcome ?? "")\n\nSee the details\(downloads ? " and download your data" : ""):\n\(link)\n"
            : "Thank you for confirming your request for \(request.kind.label). We will answer by \(dueOn).\n\nFollow it here:\n\(link)\n"
        return Letter(subject: "\(organisation): your privacy request", text: text)
    }
}
