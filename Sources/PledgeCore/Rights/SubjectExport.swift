import Foundation

/// The machine-readable copy of an access or portability request: `data.json` in the ZIP, its
/// schema published as `docs/subject-export.schema.json` (UK GDPR Art 15(3), Art 20(1); C30, C33).
/// Portability carries only what the subject provided under consent or contract (Art 20(1)(a)) and
/// no supplementary information; access carries everything and every Art 15(1)-(2) item.
public struct SubjectExport: Codable, Sendable, Equatable {
    public static let format = "pledge-subject-export/1"

    public var format: String
    public var request: RequestInfo
    public var controller: ControllerInfo
    /// Who they are in Pledge's vault; nil for a person found only in the organisation's own systems.
    public var subject: SubjectInfo?
    public var personalData: [SubjectRecords.Value]
    public var consents: [SubjectRecords.Consent]
    public var interactions: [SubjectRecords.Interaction]
    public var accessLog: [SubjectRecords.Access]
    /// Campaigns' messages to them, with opens and clicks where tracked (access only).
    public var marketingMessages: [SubjectRecords.MarketingMessage]
    /// What the organisation's own databases hold about them, table by table (issue 30 §3; C30, C33).
    public var systems: [SystemTable]
    public var supplementary: Supplementary?
    public var withheld: [Withholding]

    public struct RequestInfo: Codable, Sendable, Equatable {
        public var id: UUID
        public var kind: RequestKind
        public var receivedAt: Date
        public var generatedAt: Date
    }

    public struct ControllerInfo: Codable, Sendable, Equatable {
        public var name: String
        public var contact: String?
        public var dpo: String?
    }

    public struct SubjectInfo: Codable, Sendable, Equatable {
        public var id: UUID
        public var categories: [String]
        public var stage: String?
        public var since: Date
        public var restricted: Bool
        public var marketingObjectionAt: Date?
    }

    /// Art 15(1)(a)-(h) and 15(2).
    public struct Supplementary: Codable, Sendable, Equatable {
        public var purposes: [PurposeInfo]
        public var recipients: [RecipientInfo]
        public var sources: [SourceInfo]
        public var rights: [String]
        public var complaints: String
    }

    public struct PurposeInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var lawfulBasis: String?
        public var categories: [String]
        public var recipients: [String]
        public var retention: String?
        public var automatedDecisions: String?
    }

    public struct RecipientInfo: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var country: String
        public var safeguard: String?
    }

    public struct SourceInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var kind: String
    }

    /// The export of `records` (nil when the vault holds nobody) and of the rows found in the
    /// organisation's own `systems`, for a case of `kind`, with what the declaration says about them.
    public init(
        records: SubjectRecords?, systems: [SystemTable] = [], request: UUID, kind: RequestKind, receivedAt: Date, generatedAt: Date,
        declaration: Declaration, withheld: [Withholding]
    ) {
        let purposes = Dictionary(declaration.purposes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let portable = kind == .portability
        // Art 20(1)(a): portability covers data processed on consent or contract.
        let all = records?.values ?? []
        let values = portable ? all.filter { [.consent, .contract].contains(purposes[$0.purpose]?.basis) } : all
        self.format = Self.format
        self.request = RequestInfo(id: request, kind: kind, receivedAt: receivedAt, generatedAt: generatedAt)
        let organisation = declaration.organisation
        self.controller = ControllerInfo(
            name: organisation.legalName ?? organisation.name,
            contact: organisation.contact.email ?? organisation.contact.webForm ?? organisation.contact.post,
            dpo: organisation.dpo?.email)
        self.subject = records.map {
            SubjectInfo(
                id: $0.subject, categories: $0.categories, stage: $0.stage, since: $0.createdAt, restricted: $0.restricted,
                marketingObjectionAt: $0.marketingObjectionAt)
        }
        self.personalData = values
        self.consents = portable ? [] : records?.consents ?? []
        self.interactions = portable ? [] : records?.interactions ?? []
        self.accessLog = portable ? [] : records?.accessLog ?? []
        self.marketingMessages = portable ? [] : records?.marketingMessages ?? []
        self.systems = systems
        self.withheld = withheld
        self.supplementary = portable ? nil : Self.supplementary(for: Set(values.map(\.purpose)), declaration: declaration)
    }

    /// How many items the export holds: vault values and rows of the organisation's systems.
    public var itemCount: Int { personalData.count + systems.reduce(0) { $0 + $1.rows.count } }

    /// What Art 15(1)-(2) requires beside the data, from the declaration.
    static func supplementary(for used: Set<String>, declaration: Declaration) -> Supplementary {
        let recipients = Dictionary((declaration.recipients ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let retention = Dictionary(declaration.retention.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Every declared purpose that touches the subject's data, or all when nothing is held yet.
        let relevant = declaration.purposes.filter { used.isEmpty || used.contains($0.id) }
        let purposes = relevant.map { purpose in
            PurposeInfo(
                id: purpose.id, name: purpose.name, lawfulBasis: purpose.basis.map { "\($0.label) (\($0.article))" },
                categories: CategoryNames.names(of: purpose.categories, in: declaration),
                recipients: (purpose.recipients ?? []).compactMap { recipients[$0]?.name },
                retention: purpose.retention.flatMap { retention[$0] }.map { $0.howLong() },
                automatedDecisions: purpose.automatedDecisions.flatMap { decision in
                    decision.solelyAutomated
                        ? "Solely automated: \(decision.logic ?? "logic on request"); safeguards: \(decision.safeguards ?? "human review on request")"
                        : nil
                })
        }
        let named = Set(relevant.flatMap { $0.recipients ?? [] })
        return Supplementary(
            purposes: purposes,
            recipients: (declaration.recipients ?? []).filter { named.contains($0.id) }.map {
                RecipientInfo(name: $0.name, kind: $0.kind.rawValue, country: $0.country, safeguard: $0.transfer.map { $0.mechanism.label })
            },
            sources: declaration.sources.map { SourceInfo(id: $0.id, name: $0.name, kind: $0.kind.rawValue) },
            rights: DataSubjectRight.allCases.filter { $0 != .informed }.map { "The right \($0.label) (\($0.article))" },
            complaints:
                "You can complain to us, and to the Information Commissioner's Office: \(declaration.rights.complaints?.icoUrl ?? ComplaintsPolicy.defaultICOURL)"
        )
    }

    public static func decode(_ data: Data) throws -> SubjectExport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SubjectExport.self, from: data)
    }
}
