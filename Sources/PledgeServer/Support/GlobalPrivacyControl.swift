import Foundation

/// The Global Privacy Control request header (GPC specification §3: `Sec-GPC: 1`), read the same
/// way wherever Pledge honours it: the banner's answers and the statistics collector.
enum GlobalPrivacyControl {
    /// True when the `Sec-GPC` header value says the visitor opts out.
    static func isOn(_ header: String?) -> Bool {
        header?.trimmingCharacters(in: .whitespaces) == "1"
    }
}
