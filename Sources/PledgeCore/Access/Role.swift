/// What an API key may do.
public enum Permission: String, Sendable, Hashable, CaseIterable {
    case manageDeclaration = "declaration:manage"
    case readSubjects = "subjects:read"
    case writeSubjects = "subjects:write"
    case readData = "data:read"
    case writeData = "data:write"
    case readConsents = "consents:read"
    case writeConsents = "consents:write"
    case decide = "decisions"
    case readAudit = "audit:read"
    case erase = "subjects:erase"
    case writeInteractions = "interactions:write"
    /// Notes of calls, meetings, letters and chats: free text about a person that no purpose
    /// bounds, so no role that reads data for a purpose reads them (issue 24 finding 3).
    case readInteractions = "interactions:read"
    case manageKeys = "keys:manage"
    case readStatistics = "statistics:read"
    case handleRequests = "requests:handle"
    /// Enter opt-outs, bounces and complaints on the suppression list, and look addresses up (C18).
    case manageSuppressions = "suppressions:manage"
    /// Preview and send marketing campaigns (C17).
    case sendMarketing = "marketing:send"
    /// Report a personal data breach: staff, and a processor under Art 33(2).
    case reportBreaches = "breaches:report"
    /// Read the breach register, assess breaches and record notifications (C39).
    case manageBreaches = "breaches:manage"
    /// See the retention plan, run the sweep, place and lift legal holds (C36).
    case manageRetention = "retention:manage"
    /// Log a disclosure request from the police, a regulator, a court, a rights holder or a registered recipient (C25).
    case logDisclosures = "disclosures:log"
    /// Approve or refuse a disclosure someone else logged, and release it (C25, four eyes).
    case decideDisclosures = "disclosures:decide"
    /// The DPO's home page: what needs attention today across every register (issue 29 §7).
    case readWorkspace = "workspace:read"
}

/// Who holds an API key, which fixes what it may do (least privilege, UK GDPR Art 32(1)(b), Art 25).
public enum Role: Sendable, Hashable, CustomStringConvertible {
    case admin
    case dpo
    case support
    case marketing
    case analyst
    /// A processor's key (`processor:NAME`): it works only while the declared contract with that
    /// recipient is in force (UK GDPR Art 28), and only for the purposes that recipient serves.
    case processor(String)

    /// Reads `admin`, `dpo`, `support`, `marketing`, `analyst` or `processor:NAME`.
    public init?(_ text: String) {
        switch text {
        case "admin": self = .admin
        case "dpo": self = .dpo
        case "support": self = .support
        case "marketing": self = .marketing
        case "analyst": self = .analyst
        default:
            guard text.hasPrefix("processor:"), text.count > "processor:".count else { return nil }
            self = .processor(String(text.dropFirst("processor:".count)))
        }
    }

    public static let names = ["admin", "dpo", "support", "marketing", "analyst", "processor:NAME"]

    public var description: String {
        switch self {
        case .admin: "admin"
        case .dpo: "dpo"
        case .support: "support"
        case .marketing: "marketing"
        case .analyst: "analyst"
        case .processor(let name): "processor:\(name)"
        }
    }

    public var permissions: Set<Permission> {
        switch self {
        case .admin: Self.adminPermissions
        case .dpo: Self.dpoPermissions
        case .support: Self.supportPermissions
        case .marketing: Self.marketingPermissions
        case .analyst: Self.analystPermissions
        case .processor: Self.processorPermissions
        }
    }

    // Made once: `allows` runs on every keyed request, and building the set each time showed in perf.
    private static let adminPermissions = Set(Permission.allCases)
    private static let dpoPermissions = Set(Permission.allCases).subtracting([.manageKeys])
    private static let supportPermissions: Set<Permission> = [
        .readSubjects, .writeSubjects, .readData, .writeData, .readConsents, .writeConsents, .decide,
        .writeInteractions, .readInteractions, .handleRequests, .manageSuppressions, .reportBreaches, .logDisclosures,
    ]
    private static let marketingPermissions: Set<Permission> = [
        .readSubjects, .readData, .readConsents, .writeConsents, .decide, .readStatistics, .manageSuppressions, .sendMarketing,
    ]
    private static let analystPermissions: Set<Permission> = [.readData, .decide, .readStatistics]
    private static let processorPermissions: Set<Permission> = [.readData, .decide, .reportBreaches]

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }
}
