import Foundation
import Testing

@testable import PledgeCore

/// The byte-level writers behind an access export (C30, C33): the JSON is the document
/// `JSONEncoder` would write, the escapes are those of HTML, RFC 4180 and RFC 8259, and the ZIP's
/// CRC-32 is the standard one.
@Suite("Export encoding")
struct ExportEncodingTests {
    /// Strings that need every kind of escaping, and some that need none.
    static let awkward = [
        "plain", "", "quote \" and 'apostrophe'", "comma, here", "line\nbreak\r\nand\ttab", "back\\slash and /solidus",
        "<b>&amp;</b>", "Zoë — 日本語 🙂", "bell \u{07} and nul \u{00} and \u{1F}", "backspace \u{08} and form feed \u{0C}",
    ]

    func export(_ kind: RequestKind, at: Date) throws -> SubjectExport {
        let declaration = try Examples.declaration("compliant")
        let records = SubjectRecords(
            subject: UUID(), categories: ["customer"], stage: nil, createdAt: at, restricted: false, marketingObjectionAt: nil,
            values: Self.awkward.enumerated().map {
                .init(
                    field: "field-\($0.offset)", category: "user.contact", purpose: declaration.purposes[0].id, source: "signup",
                    sourceReference: $0.offset.isMultiple(of: 2) ? $0.element : nil, collectedAt: at, value: $0.element)
            },
            consents: [
                .init(
                    purpose: "newsletter", recipient: nil, channel: "email", action: "given", mechanism: "form", noticeVersion: "v1", recordedAt: at),
                .init(
                    purpose: "newsletter", recipient: "partner \"x\"", channel: nil, action: "withdrawn", mechanism: "request", noticeVersion: "v2",
                    recordedAt: at.addingTimeInterval(86_400 * 400)),
            ],
            interactions: Self.awkward.enumerated().map {
                // ECR-19: a record may name the purpose it serves; the export carries it when it does.
                .init(
                    kind: "note", purpose: $0.offset.isMultiple(of: 2) ? "support" : nil, recordedAt: Date(timeIntervalSince1970: -86_401),
                    content: $0.element)
            },
            accessLog: [
                .init(at: at, actor: "key:support", action: "data.read", purpose: nil, fields: "email,name"),
                .init(at: at, actor: "key:dpo", action: "subject.create", purpose: "service", fields: nil),
            ])
        return SubjectExport(
            records: records, request: UUID(), kind: kind, receivedAt: at, generatedAt: at, declaration: declaration,
            withheld: [Withholding(ground: .thirdPartyData, detail: "A colleague's note")])
    }

    @Test(
        "C30/C33: data.json is exactly what JSONEncoder writes for the export, and reads back equal", arguments: [RequestKind.access, .portability])
    func json(kind: RequestKind) throws {
        // Stored instants have microseconds; the JSON carries whole seconds, as JSONEncoder writes them.
        let precise = try export(kind, at: Date(timeIntervalSince1970: 1_763_800_000.75))
        let written = try precise.json()
        let reference = try SubjectExport.encoder.encode(precise)
        #expect(written == reference, "\(String(decoding: written, as: UTF8.self))\n\(String(decoding: reference, as: UTF8.self))")
        let whole = try export(kind, at: Date(timeIntervalSince1970: 1_763_800_000))
        #expect(try SubjectExport.decode(whole.json()) == whole)
    }

    @Test("HTML, CSV and JSON escapes")
    func escapes() {
        #expect(HTMLText.escape("<a href=\"x\">Tom & 'Jerry'</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("Zoë — no escapes") == "Zoë — no escapes")
        var csv = TextBuffer()
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", "Zoë"] { csv.append(csv: field); csv.append("|") }
        #expect(csv.string == "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|Zoë|")
        // Issue 24 finding 8: what a spreadsheet would run as a formula is written as text.
        var formulas = TextBuffer()
        for field in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "a=b"] { formulas.append(csv: field); formulas.append("|") }
        #expect(formulas.string == "\"'=HYPERLINK(\"\"http://x\"\")\"|\"'+1\"|\"'-2+3\"|\"'@SUM(A1)\"|\"'\tx\"|a=b|")
        var json = TextBuffer()
        json.append(json: "a\"b\\c/d\n\u{01}é")
        #expect(json.string == "\"a\\\"b\\\\c/d\\n\\u0001é\"")
        json.append(json: "/\u{08}\u{0C}", escapingSolidus: true)
        #expect(json.string.hasSuffix(#""\/\b\f""#))
        #expect(TextBuffer.rfc3339(Date(timeIntervalSince1970: 1_763_800_000.75)) == "2025-11-22T08:26:40Z")
        #expect(TextBuffer.rfc3339(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test("CRC-32 of the check string, and eight bytes a step equal to a bit at a time for every length to 40")
    func crc() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        func bitwise(_ data: Data) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in data {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            return ~crc
        }
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(CRC32.checksum(data) == bitwise(data), "length \(length)")
        }
    }
}
