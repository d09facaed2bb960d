/// Card numbers (ISO/IEC 7812-1 primary account numbers). A card is kept as the payment provider's
/// token, never its number (PCI DSS v4.0 Req 3.3–3.5; UK GDPR Art 32(1)(a); OEX-11).
enum PaymentCard {
    /// Whether `text` is a card number: 13 to 19 digits, with spaces or hyphens between groups,
    /// whose last digit is the Luhn check digit.
    static func isCardNumber(_ text: String) -> Bool {
        var digits: [Int] = []
        for scalar in text.unicodeScalars {
            switch scalar {
            case "0"..."9": digits.append(Int(scalar.value) - 48)
            case " ", "-": continue
            default: return false
            }
        }
        guard (13...19).contains(digits.count) else { return false }
        let sum = digits.reversed().enumerated().reduce(0) { sum, item in
            guard item.offset % 2 == 1 else { return sum + item.element }
            let doubled = item.element * 2
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
        return sum % 10 == 0
    }
}
