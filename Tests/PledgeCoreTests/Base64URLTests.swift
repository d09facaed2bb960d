import Foundation
import Testing

@testable import PledgeCore

/// base64url without padding (RFC 4648 §5), which every unsubscribe, preference and tracking link's
/// token is written in (issue 28 §3).
@Suite("base64url")
struct Base64URLTests {
    @Test("RFC 4648 §10's vectors, without padding, in both directions")
    func vectors() {
        for (plain, encoded) in [
            ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
        ] {
            #expect(Data(plain.utf8).base64URL == encoded)
            #expect(Data(base64URL: encoded) == Data(plain.utf8))
        }
    }

    @Test("every length and every byte reads back, and matches Foundation's base64 in the URL alphabet")
    func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let foundation = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(bytes.base64URL == foundation)
            #expect(Data(base64URL: foundation) == bytes)
            // A slice that does not start at index 0 writes the same.
            #expect(Data([0xFF] + bytes).dropFirst().base64URL == foundation)
        }
        #expect(Data([0xFB, 0xFF, 0xBF]).base64URL == "-_-_")
    }

    @Test("anything but unpadded base64url is refused: padding, the standard alphabet, a stray length, leftover bits")
    func refused() {
        for text in ["Zg==", "Zm9v+", "Zm9v/", "Z", "Zm9vY", "Zh", "Zm9", "Zm9vYmF", "Zm 9v", "Zm9v\n", "é"] {
            #expect(Data(base64URL: text) == nil, "\(text)")
        }
        // "Zh", "Zm9" and "Zm9vYmF" differ from real encodings only in bits past the last byte.
        #expect(Data(base64URL: "Zg") == Data("f".utf8))
        #expect(Data(base64URL: "Zm8") == Data("fo".utf8))
        #expect(Data(base64URL: "Zm9vYmE") == Data("fooba".utf8))
    }
}
