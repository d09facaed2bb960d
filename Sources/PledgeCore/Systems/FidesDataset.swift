import Yams

/// A Fides dataset file (`dataset:` with collections, fields, `fides_meta` identities, keys and
/// references, data categories) read into `systems:` (issue 30 §6), so an organisation that
/// declared its databases for Fides moves over without writing them again.
///
/// What changes on the way: categories of a newer fideslang are mapped to this taxonomy (an
/// address's parts, then the nearest known parent); every identity but email is left as a
/// category (only email is verified here); references to other datasets are dropped and listed;
/// and each collection holding personal data gets `erasure: null`, what Fides's default masking
/// does, for the DPO to change where rows should go or stay.
public enum FidesDataset {
    /// A dataset read, with what could not be carried over.
    public struct Imported: Sendable, Equatable {
        public let system: DataSystem
        /// Things the DPO should know: dropped references, identities kept as categories, renamed categories.
        public let notes: [String]
    }

    /// Each dataset of the file as a system of `kind` whose URL is in `connectionEnv`.
    public static func systems(fromYAML text: String, kind: SystemKind, connectionEnv: String) throws -> [Imported] {
        let file = try YAMLDecoder().decode(File.self, from: text)
        return file.dataset.map { dataset in
            var notes: [String] = []
            let collections = dataset.collections.filter { $0.meta?.skipProcessing != true }.map { collection -> SystemCollection in
                let fields = collection.fields.map { field -> SystemField in
                    let meta = field.meta
                    var categories: [String] = []
                    for category in field.dataCategories ?? [] {
                        guard let known = Self.category(category) else {
                            notes.append("\(collection.name).\(field.name): category '\(category)' has no equivalent here and was left out")
                            continue
                        }
                        if known != category { notes.append("\(collection.name).\(field.name): '\(category)' read as '\(known)'") }
                        if !categories.contains(known) { categories.append(known) }
                    }
                    var identity: IdentityKind?
                    if let kind = meta?.identity {
                        if kind == "email" {
                            identity = .email
                        } else {
                            notes.append("\(collection.name).\(field.name): identity '\(kind)' is not verified here; kept as data, not searched")
                        }
                    }
                    var references: String?
                    for reference in meta?.references ?? [] {
                        if reference.dataset == dataset.fidesKey, references == nil {
                            references = reference.field
                        } else {
                            notes.append(
                                "\(collection.name).\(field.name): reference to \(reference.dataset).\(reference.field) left out (other datasets are reached by identity)"
                            )
                        }
                    }
                    return SystemField(
                        name: field.name, categories: categories.isEmpty ? nil : categories, identity: identity,
                        primaryKey: meta?.primaryKey == true ? true : nil, references: references)
                }
                let personal = fields.contains(where: \.isPersonal)
                return SystemCollection(name: collection.name, fields: fields, erasure: personal ? .null : nil)
            }
            let system = DataSystem(
                id: slug(dataset.fidesKey), name: dataset.name ?? dataset.fidesKey, kind: kind, connectionEnv: connectionEnv, collections: collections
            )
            return Imported(system: system, notes: notes)
        }
    }

    /// Newer fideslang names of an address's parts, as this taxonomy has them.
    static let renamed: [String: String] = [
        "user.contact.address": "user.contact.street", "user.contact.address.street": "user.contact.street",
        "user.contact.address.city": "user.contact.city", "user.contact.address.state": "user.contact.state",
        "user.contact.address.postal_code": "user.contact.postal_code", "user.contact.address.country": "user.contact.country",
        "user.financial.bank_account": "user.financial.account_number", "user.financial.credit_card": "user.financial.account_number",
    ]

    /// The category here for a Fides category: itself if known, its rename, or its nearest known parent.
    static func category(_ key: String) -> String? {
        if Fideslang.dataCategories.contains(key) { return key }
        if let renamed = renamed[key] { return renamed }
        var parent = Fideslang.parent(of: key)
        while let current = parent {
            if let known = renamed[current] ?? (Fideslang.dataCategories.contains(current) ? current : nil) { return known }
            parent = Fideslang.parent(of: current)
        }
        return nil
    }

    /// An id for the declaration: lower case, `-` for anything but letters and digits.
    static func slug(_ key: String) -> String {
        String(key.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    struct File: Decodable {
        let dataset: [Dataset]
    }

    struct Dataset: Decodable {
        let fidesKey: String
        let name: String?
        let collections: [Collection]

        enum CodingKeys: String, CodingKey {
            case fidesKey = "fides_key", name, collections
        }
    }

    struct Collection: Decodable {
        let name: String
        let fields: [Field]
        let meta: CollectionMeta?

        enum CodingKeys: String, CodingKey {
            case name, fields, fidesMeta = "fides_meta", fidesopsMeta = "fidesops_meta"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            fields = try container.decodeIfPresent([Field].self, forKey: .fields) ?? []
            meta =
                try container.decodeIfPresent(CollectionMeta.self, forKey: .fidesMeta)
                ?? container.decodeIfPresent(CollectionMeta.self, forKey: .fidesopsMeta)
        }
    }

    struct CollectionMeta: Decodable {
        let skipProcessing: Bool?

        enum CodingKeys: String, CodingKey {
            case skipProcessing = "skip_processing"
        }
    }

    struct Field: Decodable {
        let name: String
        let dataCategories: [String]?
        let meta: FieldMeta?

        enum CodingKeys: String, CodingKey {
            case name, dataCategories = "data_categories", fidesMeta = "fides_meta", fidesopsMeta = "fidesops_meta"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            dataCategories = try container.decodeIfPresent([String].self, forKey: .dataCategories)
            meta =
                try container.decodeIfPresent(FieldMeta.self, forKey: .fidesMeta)
                ?? container.decodeIfPresent(FieldMeta.self, forKey: .fidesopsMeta)
        }
    }

    struct FieldMeta: Decodable {
        let identity: String?
        let primaryKey: Bool?
        let references: [Reference]?

        enum CodingKeys: String, CodingKey {
            case identity, primaryKey = "primary_key", references
        }
    }

    struct Reference: Decodable {
        let dataset: String
        let field: String
    }
}
