import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// Identifiers, the blind index and the keys of the vault.
@Suite("Vault cryptography")
struct VaultCryptoTests {
    @Test(
        "identifiers are normalised so one person typed two ways is one person",
        arguments: [
            (IdentifierKind.email, "  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"),
            (.phone, "07700 900123", "+447700900123"),
            (.phone, "0044 (7700) 900-123", "+447700900123"),
            (.phone, "+1 415 555 0100", "+14155550100"),
            (.account, " google|12345 ", "google|12345"),
        ])
    func normalised(kind: IdentifierKind, raw: String, expected: String) throws {
        #expect(try SubjectIdentifier(kind: kind, raw: raw).value == expected)
    }

    @Test(
        "malformed identifiers are refused",
        arguments: [
            (IdentifierKind.email, "not-an-email"), (.email, "a@b"), (.email, "two@@example.com"), (.email, " "),
            (.phone, "12"), (.phone, "+44 7700 CALL ME"),
        ])
    func refused(kind: IdentifierKind, raw: String) {
        #expect(throws: IdentifierError.self) { try SubjectIdentifier(kind: kind, raw: raw) }
    }

    @Test("the blind index is keyed, stable and separates kinds")
    func blindIndex() throws {
        let key = SymmetricKey(size: .bits256)
        let email = try SubjectIdentifier(kind: .email, raw: "ada@example.com")
        let index = BlindIndex(key: key)
        #expect(index.digest(email) == index.digest(try SubjectIdentifier(kind: .email, raw: "ADA@example.com")))
        #expect(index.digest(email) != BlindIndex(key: SymmetricKey(size: .bits256)).digest(email))
        #expect(index.digest(email) != index.digest(try SubjectIdentifier(kind: .account, raw: "ada@example.com")))
        #expect(!index.digest(email).contains(Data("ada".utf8)))
    }

    @Test("data keys wrap under the master key and open only with it and their own context")
    func wrapping() throws {
        let master = MasterKey.generate()
        let dataKey = SubjectKey.generate()
        let wrapped = try master.wrap(dataKey.symmetricKey, context: "subject-1")
        let unwrapped = try master.unwrap(wrapped, context: "subject-1")
        #expect(unwrapped == dataKey.symmetricKey)
        #expect(throws: VaultError.self) { try master.unwrap(wrapped, context: "subject-2") }
        #expect(throws: VaultError.self) { try MasterKey.generate().unwrap(wrapped, context: "subject-1") }
        #expect(try MasterKey(text: master.base64).id == master.id)
        #expect(throws: VaultError.self) { try MasterKey(text: "too short") }
    }

    @Test("values are sealed with AES-GCM, bound to their field, and unreadable with another key")
    func sealing() throws {
        let key = SubjectKey.generate()
        let sealed = try key.seal("Ada Lovelace", context: "s1/user.name")
        #expect(!sealed.contains(Data("Ada".utf8)))
        #expect(try key.open(sealed, context: "s1/user.name") == "Ada Lovelace")
        #expect(throws: VaultError.self) { try key.open(sealed, context: "s1/user.contact.email") }
        #expect(throws: VaultError.self) { try SubjectKey.generate().open(sealed, context: "s1/user.name") }
        #expect(key.digest("Ada") == key.digest("Ada"))
        #expect(key.digest("Ada") != SubjectKey.generate().digest("Ada"))
    }

    @Test("hex is lower-case, two digits a byte, and parses back (FIPS 180-2 'abc' vector)")
    func hexEncoding() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let bytes = Data([0x00, 0x0f, 0x10, 0xa5, 0xff])
        #expect(bytes.hexString == "000f10a5ff")
        #expect(Data(hex: bytes.hexString) == bytes)
        #expect(Data().hexString == "")
    }
}
