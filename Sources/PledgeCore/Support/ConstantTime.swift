/// Comparison of secrets in time that depends only on their lengths, never on where they differ,
/// so a caller timing the answers learns nothing of the secret (issue 24 finding 8).
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes.
    public static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Whether the UTF-8 bytes of `a` and `b` are the same.
    public static func equal(_ a: String, _ b: String) -> Bool {
        equal(Array(a.utf8), Array(b.utf8))
    }
}
