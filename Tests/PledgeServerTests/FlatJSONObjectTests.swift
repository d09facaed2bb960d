import Foundation
import Testing

@testable import PledgeServer

/// The direct routes read the bodies they can with `FlatJSONObject` and leave the rest to
/// `JSONDecoder`; the fast path must never read a body differently (issue 3 performance; C07, C10).
@Suite("FlatJSONObject")
struct FlatJSONObjectTests {
    private func flat(_ text: String) -> FlatJSONObject? {
        Array(text.utf8).withUnsafeBytes { FlatJSONObject($0) }
    }

    private func fast<Body: DirectOperationBody>(_ type: Body.Type, _ text: String) -> Body? {
        flat(text).flatMap(Body.init(flat:))
    }

    @Test("Strings and lists of strings are read, in order, with JSON's whitespace anywhere between tokens")
    func reads() throws {
        let object = try #require(flat(" \r\n{ \"subject\" :\t\"a é 😀\" , \"categories\": [ \"x\" ,\"y\"], \"none\": [] }\n"))
        #expect(object.members.map(\.key) == ["subject", "categories", "none"])
        #expect(object.string("subject") == "a é 😀")
        #expect(object.strings("categories") == ["x", "y"])
        #expect(object.strings("none") == [])
        #expect(object.string("categories") == nil && object.string("absent") == nil)
        #expect(flat("{}")?.members.isEmpty == true)
    }

    @Test(
        "Anything it cannot read exactly as JSONDecoder does is left to JSONDecoder",
        arguments: [
            #"{"a":"b\"c"}"#, #"{"a":"\u0041"}"#, #"{"a":1}"#, #"{"a":true}"#, #"{"a":null}"#, #"{"a":{"b":"c"}}"#, #"{"a":["b",1]}"#,
            #"{"a":"b","a":"c"}"#, #"{"a":"b",}"#, #"{"a":"b"} x"#, #"{"a":"b""#, #"["a"]"#, #"{"a" "b"}"#, #"{a:"b"}"#, "{\"a\":\"b\tc\"}", "",
        ])
    func declines(_ text: String) {
        #expect(flat(text) == nil)
    }

    @Test("C38 (issue 24 finding 8): a body of thousands of keys is left to JSONDecoder, not compared key by key; sixteen are read")
    func manyKeys() {
        let many = "{" + (0..<6_900).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
        #expect(flat(many) == nil)
        let sixteen = "{" + (0..<FlatJSONObject.maximumMembers).map { "\"k\($0)\":\"v\"" }.joined(separator: ",") + "}"
        #expect(flat(sixteen)?.members.count == FlatJSONObject.maximumMembers)
    }

    @Test("Invalid UTF-8 is left to JSONDecoder")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(bytes.withUnsafeBytes { FlatJSONObject($0) } == nil)
    }

    @Test(
        "C07, C10: every body the fast path reads is the body JSONDecoder reads",
        arguments: [
            #"{"subject":"0b3e2c4e-7f0a-4a57-9d7e-1f0e6c2a9b11","purpose":"newsletter"}"#,
            #"{"purpose":"service","categories":["user.name","user.contact.email"],"subject":"s","recipient":"mailer","channel":"email"}"#,
            #"{"subject":"s","purpose":"p","categories":[]}"#,
        ])
    func decisions(_ text: String) throws {
        let read = try #require(fast(Components.Schemas.DecisionRequest.self, text))
        #expect(read == (try ContractJSON.decoder.decode(Components.Schemas.DecisionRequest.self, from: Data(text.utf8))))
    }

    @Test("C10: consent bodies read alike, and the ones it declines are left to JSONDecoder's refusal")
    func consents() throws {
        let text =
            #"{"purpose":"newsletter","action":"withdrawn","mechanism":"unsubscribe_link","noticeVersion":"3","wording":"Stop","wordingSha256":"ab","recipient":"r","channel":"email"}"#
        let read = try #require(fast(Components.Schemas.ConsentRequest.self, text))
        #expect(read == (try ContractJSON.decoder.decode(Components.Schemas.ConsentRequest.self, from: Data(text.utf8))))
        // A required field missing, an action the contract does not name, a list where a string
        // belongs, a key the body does not have: nil, so JSONDecoder answers.
        for declined in [
            #"{"purpose":"p","action":"granted"}"#, #"{"purpose":"p","action":"maybe","mechanism":"m"}"#,
            #"{"purpose":["p"],"action":"granted","mechanism":"m"}"#, #"{"purpose":"p","action":"granted","mechanism":"m","extra":"x"}"#,
        ] {
            #expect(flat(declined) != nil && fast(Components.Schemas.ConsentRequest.self, declined) == nil, "\(declined)")
        }
    }
}
