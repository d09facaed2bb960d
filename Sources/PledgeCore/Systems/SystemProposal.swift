import Foundation

/// What `pledge discover` proposes from a database's schema alone (issue 30 §2): categories from
/// column names, the identity columns, every foreign key as a reference and an erasure strategy,
/// written as a `systems:` block for the DPO to review. Row data is never read, so nothing here
/// sees a value: only names, types and keys.
public enum SystemProposal {
    /// A column as the schema describes it.
    public struct Column: Sendable, Equatable {
        public let name: String
        public let type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// A foreign key from one column to another table's column.
    public struct ForeignKey: Sendable, Equatable {
        public let column: String
        public let table: String
        public let tableColumn: String

        public init(column: String, table: String, tableColumn: String) {
            self.column = column
            self.table = table
            self.tableColumn = tableColumn
        }
    }

    /// A table as the schema describes it.
    public struct Table: Sendable, Equatable {
        public let name: String
        public let columns: [Column]
        public let primaryKey: [String]
        public let foreignKeys: [ForeignKey]

        public init(name: String, columns: [Column], primaryKey: [String], foreignKeys: [ForeignKey]) {
            self.name = name
            self.columns = columns
            self.primaryKey = primaryKey
            self.foreignKeys = foreignKeys
        }
    }

    /// Column names (split at `_`) and the fideslang category each suggests. A bare `name` counts
    /// only beside another personal column: a product's name is not a person's.
    static let names: [(words: [String], category: String)] = [
        (["email"], "user.contact.email"), (["e", "mail"], "user.contact.email"), (["email", "address"], "user.contact.email"),
        (["first", "name"], "user.name"), (["last", "name"], "user.name"), (["full", "name"], "user.name"), (["surname"], "user.name"),
        (["forename"], "user.name"), (["given", "name"], "user.name"), (["family", "name"], "user.name"), (["display", "name"], "user.name"),
        (["phone"], "user.contact.phone_number"), (["mobile"], "user.contact.phone_number"), (["telephone"], "user.contact.phone_number"),
        (["tel"], "user.contact.phone_number"), (["phone", "number"], "user.contact.phone_number"),
        (["street"], "user.contact.street"), (["address"], "user.contact.street"), (["address", "line1"], "user.contact.street"),
        (["address", "line2"], "user.contact.street"), (["address", "line", "1"], "user.contact.street"), (["line1"], "user.contact.street"),
        (["city"], "user.contact.city"), (["town"], "user.contact.city"),
        (["postcode"], "user.contact.postal_code"), (["postal", "code"], "user.contact.postal_code"), (["zip"], "user.contact.postal_code"),
        (["zipcode"], "user.contact.postal_code"), (["zip", "code"], "user.contact.postal_code"),
        (["country"], "user.contact.country"),
        (["dob"], "user.date_of_birth"), (["date", "of", "birth"], "user.date_of_birth"), (["birth", "date"], "user.date_of_birth"),
        (["birthday"], "user.date_of_birth"),
        (["gender"], "user.gender"), (["sex"], "user.gender"),
        (["ip"], "user.device.ip_address"), (["ip", "address"], "user.device.ip_address"),
        (["password"], "user.credentials.password"), (["password", "hash"], "user.credentials.password"),
        (["iban"], "user.financial.account_number"), (["account", "number"], "user.financial.account_number"),
        (["card", "number"], "user.financial.account_number"), (["sort", "code"], "user.financial.account_number"),
        (["job", "title"], "user.job_title"), (["company"], "user.workplace"), (["employer"], "user.workplace"),
        (["passport", "number"], "user.government_id.passport_number"),
        (["national", "insurance", "number"], "user.government_id.national_identification_number"),
        (["ni", "number"], "user.government_id.national_identification_number"),
        (["user", "agent"], "user.device.device_id"), (["device", "id"], "user.device.device_id"),
    ]

    /// The category a column's name suggests, if any.
    public static func category(ofColumn name: String) -> String? {
        let words = name.lowercased().split { $0 == "_" || $0 == "-" || $0 == " " }.map(String.init)
        return names.first { $0.words == words }?.category
    }

    /// The proposed system for `tables`: tables holding personal data and every table that links to
    /// them, each column that suggests a category with it, emails as identities, foreign keys as
    /// references; `delete` for personal tables and for the tables that refer to a deleted one.
    public static func system(id: String, name: String, kind: SystemKind, connectionEnv: String, tables: [Table]) -> DataSystem {
        var categories: [String: [String: String]] = [:]
        for table in tables {
            var found: [String: String] = [:]
            for column in table.columns { if let category = category(ofColumn: column.name) { found[column.name] = category } }
            guard !found.isEmpty else { continue }
            if let bare = table.columns.first(where: { $0.name.lowercased() == "name" }) { found[bare.name] = "user.name" }
            categories[table.name] = found
        }
        // Tables that hold personal data, then every table that refers (transitively) to one: their rows are the person's too.
        var included = Set(categories.keys)
        var grew = true
        while grew {
            grew = false
            for table in tables where !included.contains(table.name) && table.foreignKeys.contains(where: { included.contains($0.table) }) {
                included.insert(table.name)
                grew = true
            }
        }
        let collections = tables.filter { included.contains($0.name) }.map { table -> SystemCollection in
            let fields = table.columns.map { column -> SystemField in
                let category = categories[table.name]?[column.name]
                let reference = table.foreignKeys.first { $0.column == column.name }
                return SystemField(
                    name: column.name, categories: category.map { [$0] }, identity: category == "user.contact.email" ? .email : nil,
                    primaryKey: table.primaryKey == [column.name] ? true : nil,
                    references: reference.map { "\($0.table).\($0.tableColumn)" })
            }
            return SystemCollection(name: table.name, fields: fields, erasure: .delete)
        }
        return DataSystem(id: id, name: name, kind: kind, connectionEnv: connectionEnv, collections: collections)
    }

    /// `system` as a `systems:` block of YAML, for review and to append to the declaration.
    public static func yaml(_ system: DataSystem) -> String {
        var out = """
            # Proposed by `pledge discover` from the schema alone (no row was read). Review every line:
            # categories come from column names, erasure is `delete` wherever personal data is held.
            systems:
              - id: \(scalar(system.id))
                name: \(scalar(system.name))
                kind: \(system.kind.rawValue)

            """
        if let env = system.connectionEnv { out += "    connection_env: \(scalar(env))\n" }
        out += "    collections:\n"
        for collection in system.collections {
            out += "      - name: \(scalar(collection.name))\n"
            if let erasure = collection.erasure { out += "        erasure: \(scalar(erasure.rawValue))\n" }
            out += "        fields:\n"
            for field in collection.fields {
                out += "          - name: \(scalar(field.name))\n"
                if field.primaryKey == true { out += "            primary_key: true\n" }
                if let identity = field.identity { out += "            identity: \(identity.rawValue)\n" }
                if let categories = field.categories, !categories.isEmpty {
                    out += "            categories: [\(categories.map(scalar).joined(separator: ", "))]\n"
                }
                if let references = field.references { out += "            references: \(scalar(references))\n" }
            }
        }
        return out
    }

    /// A YAML scalar: bare when it is a plain name, else double-quoted with JSON escapes (valid YAML).
    static func scalar(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
            && text.first?.isLetter == true && !["true", "false", "null", "yes", "no", "on", "off"].contains(text.lowercased())
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }
}
