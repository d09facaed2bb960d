import Foundation
import Testing

@testable import PledgeServer

/// The direct routes write their answers with `JSONText`; a client must get the very bytes the
/// contract's `JSONEncoder` writes (issue 3 performance; C07, C10).
@Suite("JSONText")
struct JSONTextTests {
    /// Every control character, the characters JSON escapes, `/`, and text beyond ASCII.
    static let awkward: String = {
        var text = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        text += "/\"\\ é ✓ 😀 \u{7f} \u{2028} </script>"
        return text
    }()

    static let dates: [Date] = [
        Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_763_812_799.9999), Date(timeIntervalSince1970: 951_782_400.5),
        Date(timeIntervalSince1970: 4_107_542_400), Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: -11_644_473_600),
    ]

    private func bytes(_ value: some JSONTextEncodable) -> String {
        var json = JSONText()
        value.write(to: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try ContractJSON.encoder.encode(value), as: UTF8.self)
    }

    @Test("C10: a consent record is written byte for byte as JSONEncoder writes it", arguments: dates)
    func consentRecord(_ date: Date) throws {
        let full = Components.Schemas.ConsentRecord(
            sequence: 9_007_199_254_740_993, purpose: Self.awkward, recipient: "mailer/eu", channel: "email",
            action: .withdrawn, mechanism: "opt_in_checkbox", noticeVersion: "2026-01", wordingSha256: "ab", recordedAt: date)
        #expect(try bytes(full) == encoded(full))
        let sparse = Components.Schemas.ConsentRecord(
            sequence: 1, purpose: "newsletter", action: .granted, mechanism: "form",
            noticeVersion: "", wordingSha256: Self.awkward, recordedAt: date)
        #expect(try bytes(sparse) == encoded(sparse))
    }

    @Test("C07: a decision is written byte for byte as JSONEncoder writes it")
    func decision() throws {
        let denied = Components.Schemas.Decision(
            allowed: false,
            reasons: [
                .init(code: "consent.absent", message: Self.awkward), .init(code: "restriction", message: "Art 18 \"restricted\""),
            ])
        #expect(try bytes(denied) == encoded(denied))
        let allowed = Components.Schemas.Decision(allowed: true, reasons: [])
        #expect(try bytes(allowed) == encoded(allowed))
        #expect(bytes(allowed) == #"{"allowed":true,"reasons":[]}"#)
    }
}
