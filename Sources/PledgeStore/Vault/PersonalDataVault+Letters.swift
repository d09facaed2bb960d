import Foundation
import PledgeCore
import SQLKit

/// A message to one person in the vault that belongs to no case (a breach notice, a new purpose's
/// announcement): addressed, to be sealed with the person's own key, with the audit of reading the address.
struct SubjectLetter: Sendable {
    let subject: UUID
    let key: SubjectKey
    let email: OutgoingEmail
    let read: AuditRecord
}

extension PersonalDataVault {
    /// The letter `subject`/`text` addressed to each of `subjects` the vault holds an email address
    /// for (a `*.contact.email` value); the read of each address is audited under `purpose`.
    func letters(
        _ subject: String, _ text: String, to subjects: [UUID], purpose: String, actor: String, at instant: Date
    ) async throws -> [SubjectLetter] {
        var letters: [SubjectLetter] = []
        for person in subjects {
            let addresses = try await openValues(of: person) { $0.category.hasSuffix(".contact.email") }
            guard let address = addresses.first else { continue }
            letters.append(
                SubjectLetter(
                    subject: person, key: try await dataKey(of: person.storedText, in: sql),
                    email: OutgoingEmail(to: address.value, subject: subject, text: text),
                    read: Self.valuesRead([address], of: person, purpose: purpose, actor: actor, at: instant)))
        }
        return letters
    }

    /// Queues `letters` in the outbox inside the caller's unit; the audit records of reading and queuing them.
    static func queue(_ letters: [SubjectLetter], at instant: Date, on sql: any SQLDatabase) async throws -> [AuditRecord] {
        var audit: [AuditRecord] = []
        for letter in letters {
            audit.append(letter.read)
            audit.append(try await Outbox.queue(letter.email, owner: .subject(letter.subject), key: letter.key, at: instant, on: sql))
        }
        return audit
    }
}
