import Foundation
import PledgeCore
import Testing

/// Ids are parsed and written by hand on the hot paths (`UUID(canonical:)`, `lowercasedString`); they
/// must take and refuse exactly what Foundation does, and write what it writes in lower case.
@Suite("Canonical UUIDs")
struct CanonicalUUIDTests {
    @Test("Parses what UUID(uuidString:) parses, either case, and writes uuidString lower-cased")
    func agreesWithFoundation() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(UUID(canonical: id.uuidString) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()) == id)
            #expect(UUID(canonical: id.uuidString.lowercased()[...]) == id)
            #expect(id.lowercasedString == id.uuidString.lowercased())
        }
        let fixed = "00FF10a5-0000-4000-8000-ffffffffffff"
        #expect(UUID(canonical: fixed) == UUID(uuidString: fixed))
        #expect(UUID(canonical: fixed)?.lowercasedString == fixed.lowercased())
    }

    @Test("Refuses what UUID(uuidString:) refuses: wrong length, misplaced or missing dashes, other characters")
    func refusesWhatFoundationRefuses() {
        let malformed = [
            "", "not-a-uuid", "00ff10a5-0000-4000-8000-fffffffffff", "00ff10a5-0000-4000-8000-fffffffffffff",
            "00ff10a500000-4000-8000-ffffffffffff", "00ff10a5-0000-4000-8000_ffffffffffff", "00ff10a5-0000-4000-8000-fffffffffffg",
            "{0ff10a5-0000-4000-8000-ffffffffffff}", "00ff10a5-0000-4000-8000-fffffffffff\u{e9}", "00ff10a5000040008000ffffffffffff",
        ]
        for text in malformed {
            #expect(UUID(canonical: text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "Foundation takes \(text) too; the cases above must be ones it refuses")
        }
        // Stricter than Foundation on Linux, which reads pairs with sscanf and so takes a space in
        // place of a digit, turning " 0ff10a5-…" into the different id 0ff10a05-…: refused here.
        #expect(UUID(canonical: " 0ff10a5-0000-4000-8000-ffffffffffff") == nil)
    }
}
