/// How serious a finding is. `error`: the declaration promises or describes something unlawful, or
/// cannot be read; `warning`: likely non-compliant or misleading; `info`: outdated or incomplete.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error
    case warning
    case info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
