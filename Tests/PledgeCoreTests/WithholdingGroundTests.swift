import Foundation
import Testing

@testable import PledgeCore

/// What a case may record as its reason for keeping data back (C30).
@Suite("Withholding grounds")
struct WithholdingGroundTests {
    @Test("OEX-75: every ground a case can record cites UK GDPR or DPA 2018 Schedules 2-4, and no two share a citation")
    func everyGroundCitesTheLaw() {
        for ground in WithholdingGround.allCases {
            let cited = ground.citation.hasPrefix("UK GDPR Art ") || ground.citation.hasPrefix("DPA 2018 Sch ")
            #expect(cited, "\(ground)")
            #expect(ground.label == "\(ground.title) (\(ground.citation))")
        }
        #expect(Set(WithholdingGround.allCases.map(\.citation)).count == WithholdingGround.allCases.count)
        let schedules = Set(
            WithholdingGround.allCases.compactMap { ground in
                ground.citation.firstRange(of: "Sch ").map { String(ground.citation[$0.upperBound...].prefix(1)) }
            })
        #expect(schedules == ["2", "3", "4"])
    }

    @Test("OEX-75: a case stored before grounds were coded reads back with the ground its text cited; text citing nothing is refused")
    func storedText() throws {
        #expect(WithholdingGround(stored: "legal_claims") == .legalClaims)
        #expect(WithholdingGround(stored: "Legal claims (UK GDPR Art 17(3)(e))") == .legalClaims)
        #expect(WithholdingGround(stored: "Kept in Web shop (UK GDPR Art 17(3))") == .erasureException)
        #expect(WithholdingGround(stored: "Third-party data (DPA 2018 Sch 2 para 16)") == .thirdPartyData)
        #expect(WithholdingGround(stored: "References (DPA 2018 Sch 2 para 24)") == .confidentialReferences, "para 2 is within para 24")
        #expect(WithholdingGround(stored: "Shown on the basis of Contract (UK GDPR Art 6(1)(b))") == .basisNotObjectable)
        #expect(WithholdingGround(stored: "because we said so") == nil)

        let legacy = Data(#"{"ground":"Legal obligation to keep records (UK GDPR Art 17(3)(b))","detail":"invoices"}"#.utf8)
        #expect(try JSONDecoder().decode(Withholding.self, from: legacy) == Withholding(ground: .legalObligation, detail: "invoices"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Withholding.self, from: Data(#"{"ground":"because","detail":"x"}"#.utf8))
        }
        let written =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(Withholding(ground: .negotiations, detail: "our offer"))) as? [String: String]
        #expect(written == ["ground": "negotiations", "detail": "our offer", "label": "Negotiations with you (DPA 2018 Sch 2 para 23)"])
    }
}
