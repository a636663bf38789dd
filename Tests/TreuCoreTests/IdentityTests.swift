import Testing
import TreuCore

@Suite("Identities are normalised so that one customer is one member")
struct IdentityTests {
    @Test(arguments: [
        ("Ana@Shop.DE", "ana@shop.de"),
        ("  ana@shop.de ", "ana@shop.de"),
        ("ANA.MARIA+loyalty@mail.example.com", "ana.maria+loyalty@mail.example.com"),
    ])
    func emailsCompareWithoutLetterCase(raw: String, expected: String) throws {
        #expect(try Identity(.email, raw).value == expected)
    }

    @Test(arguments: ["ana", "ana@", "@shop.de", "ana@shop", "ana@@shop.de", "an a@shop.de", "ana@shop..de", "ana@-shop.de", ".ana@shop.de"])
    func invalidEmailsAreRefused(raw: String) {
        #expect(throws: ValidationError.self) { try Identity(.email, raw) }
        do { _ = try Identity(.email, raw) } catch { #expect(error.code == "invalid_email") }
    }

    @Test(arguments: [
        ("+49 170 1234567", "+491701234567"),
        ("+49 (170) 123-45-67", "+491701234567"),
        ("0049 170/1234567", "+491701234567"),
        ("+84 90 123 45 67", "+84901234567"),
    ])
    func phonesBecomeE164(raw: String, expected: String) throws {
        #expect(try Identity(.phone, raw).value == expected)
    }

    @Test func nationalNumbersTakeTheDefaultCountryCode() throws {
        #expect(try Identity(.phone, "0170 1234567", defaultCountryCode: "49").value == "+491701234567")
        #expect(throws: ValidationError.self) { try Identity(.phone, "0170 1234567") }
    }

    @Test(arguments: ["12345", "+49 170 abc", "+1234567", "+1234567890123456", "", "+0 170 1234567"])
    func invalidPhonesAreRefused(raw: String) {
        do {
            _ = try Identity(.phone, raw)
            Issue.record("'\(raw)' was accepted")
        } catch {
            #expect(error.code == "invalid_phone")
        }
    }

    @Test func cardsIgnoreSpacesDashesAndCase() throws {
        #expect(try Identity(.card, "ab-1234 5678").value == "AB12345678")
        #expect(throws: ValidationError.self) { try Identity(.card, "12") }
    }

    @Test func customerIDsAreKeptAsGivenButTrimmed() throws {
        #expect(try Identity(.customerID, "  Shop-42 ").value == "Shop-42")
    }

    @Test func anyTextIsTriedAsEveryKindItCanBe() {
        let kinds = Identity.candidates(for: "Ana@Shop.de").map(\.kind)
        #expect(kinds == [.email, .customerID])
        let phone = Identity.candidates(for: "+49 170 1234567")
        #expect(phone.map(\.kind) == [.phone, .customerID])
        #expect(phone.first?.value == "+491701234567")
        let card = Identity.candidates(for: "4000 1234 5678")
        #expect(card.map(\.kind) == [.card, .customerID])
    }
}
