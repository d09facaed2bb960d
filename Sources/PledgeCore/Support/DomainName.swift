/// The shape RFC 1035 §2.3.4 and RFC 5321 §4.5.3.1.2 give a domain name: two or more labels, at
/// most 253 octets in all, each label 1 to 63 octets with no hyphen at either end. Which characters
/// a label may hold is the caller's: an email domain takes letters beyond ASCII (RFC 6531), a
/// Content-Security-Policy host only lower-case ASCII.
enum DomainName {
    /// Whether `name` has a domain name's shape, its labels' characters all `allowed` or a hyphen.
    static func isValid(_ name: Substring, allowing allowed: (Unicode.Scalar) -> Bool) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, name.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0 == "-" || allowed($0) }
        }
    }
}
