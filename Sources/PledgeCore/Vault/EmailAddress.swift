/// What Pledge accepts as an email address: an RFC 5321 mailbox whose local part is a dot-atom
/// (§4.1.2: atext characters and single dots, at most 64 octets) at a domain of two or more labels
/// (letters, digits and inner hyphens, at most 63 octets each, 253 in all). Quoted local parts and
/// address literals are refused: `a,b@x.org` or `x>y@x.org` would be several addresses, or a
/// broken SMTP command, to a mail system (issue 24 finding 8). Letters beyond ASCII are allowed
/// (RFC 6531 internationalised addresses); no space, control or ASCII special character is.
public enum EmailAddress {
    /// Whether `text` is an address to send to, as given (no trimming).
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 254 else { return false }
        return isLocalPart(parts[0]) && DomainName.isValid(parts[1], allowing: isLetterOrDigit)
    }

    /// RFC 5322 §3.2.3 atext, less nothing: ALPHA / DIGIT / "!#$%&'*+-/=?^_`{|}~".
    private static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    private static func isLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
        return local.unicodeScalars.allSatisfy { scalar in
            scalar == "." || atextSpecials.contains(scalar) || isLetterOrDigit(scalar)
        }
    }

    /// ASCII letters and digits, and letters and digits beyond ASCII.
    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
