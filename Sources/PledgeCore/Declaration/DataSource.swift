/// Where personal data comes from (C05). Indirect sources oblige an Art 14 notice.
public struct DataSource: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var kind: SourceKind
    public var description: String?
    /// How people whose data came from this source are told (UK GDPR Art 14(3)).
    public var art14: Art14Handling?

    public init(id: String, name: String, kind: SourceKind, description: String? = nil, art14: Art14Handling? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.description = description
        self.art14 = art14
    }

    public static let schema: Schema = .object(
        description: "A source of personal data (C05).",
        properties: [
            .required("id", .identifier("Id used to refer to this source.")),
            .required("name", .text("Plain-English name.")),
            .required("kind", .oneOf(SourceKind.self, "What kind of source it is.")),
            .optional("description", .text("Details.")),
            .optional("art14", Art14Handling.schema),
        ])
}

public enum SourceKind: String, Codable, Sendable, CaseIterable {
    case direct
    case observed
    case singleSignOn = "single_sign_on"
    case thirdParty = "third_party"
    case groupCompany = "group_company"
    case customerInstruction = "customer_instruction"
    case listVendor = "list_vendor"
    case creditReferenceAgency = "credit_reference_agency"
    case publicRegister = "public_register"

    /// Data not obtained from the person themselves (UK GDPR Art 14).
    public var isIndirect: Bool {
        switch self {
        case .direct, .observed, .singleSignOn: false
        default: true
        }
    }
}

/// How an indirect source's subjects get their Art 14 information.
public struct Art14Handling: Codable, Sendable, Equatable, SchemaDescribed {
    public var inform: Art14Timing
    public var exemptionReason: String?

    public static let schema: Schema = .object(
        description: "Art 14 information for indirectly collected data.",
        properties: [
            .required("inform", .oneOf(Art14Timing.self, "When people are told.")),
            .optional("exemption_reason", .text("Documented Art 14(5) assessment, when exempt.")),
        ])
}

public enum Art14Timing: String, Codable, Sendable, CaseIterable {
    case withinOneMonth = "within_one_month"
    case atFirstContact = "at_first_contact"
    case atFirstDisclosure = "at_first_disclosure"
    case exempt
}
