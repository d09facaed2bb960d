import ArgumentParser
import Foundation
import Logging
import PledgeCore
import PledgeStore

/// `pledge discover`: a `systems:` block proposed from a database's schema, or read from a Fides
/// dataset file (issue 30 §2, §6), printed for review and to append to the declaration.
struct Discover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose a systems: block from a database's schema (no row is read), or import a Fides dataset.",
        discussion: """
            pledge discover postgres://user@host/db?schema=app     (or mysql://user@host/db, or sqlite:/path/to/app.sqlite)
            pledge discover --url-env SHOP_DATABASE_URL           (keeps the password off the command line)
            pledge discover --fides dataset.yml --kind postgres

            Categories are proposed from column names, email columns become identities, every foreign key a
            reference, and erasure is `delete` wherever personal data is held. Review it, then append it to
            pledge.yaml and run `pledge lint`.
            """)

    @Argument(help: "The database URL: postgres://..., mysql://... (MySQL, MariaDB) or sqlite:/path.")
    var url: String?
    @Option(help: "An environment variable holding the database URL, instead of the argument.")
    var urlEnv: String?
    @Option(help: "A Fides dataset YAML file to import instead of reading a database.")
    var fides: String?
    @Option(help: "With --fides: the kind of database the datasets describe (postgres, mysql or sqlite).")
    var kind: String = "postgres"
    @Option(help: "The system's id in the declaration.")
    var id: String = "app"
    @Option(help: "The system's name in the declaration.")
    var name: String = "Application database"
    @Option(help: "The environment variable the server reads the URL from (default: --url-env, or <ID>_DATABASE_URL).")
    var connectionEnv: String?

    func run() async throws {
        let env = connectionEnv ?? urlEnv ?? (id.uppercased().replacingOccurrences(of: "-", with: "_") + "_DATABASE_URL")
        if let fides {
            guard let kind = SystemKind(rawValue: kind), kind.isDatabase else { throw ValidationError("--kind must be postgres, mysql or sqlite.") }
            let text = try String(contentsOfFile: fides, encoding: .utf8)
            for imported in try FidesDataset.systems(fromYAML: text, kind: kind, connectionEnv: env) {
                for note in imported.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
                print(SystemProposal.yaml(imported.system), terminator: "")
            }
            return
        }
        let target: String
        if let url {
            target = url
        } else if let urlEnv, let value = ProcessInfo.processInfo.environment[urlEnv], !value.isEmpty {
            target = value
        } else {
            throw ValidationError("Give the database URL, --url-env with a variable that holds it, or --fides with a dataset file.")
        }
        guard let kind = SchemaDiscovery.kind(of: target) else { throw ValidationError("The URL must start postgres://, mysql:// or sqlite:.") }
        let tables = try await SchemaDiscovery.tables(at: target, logger: Logger(label: "pledge.discover"))
        let system = SystemProposal.system(id: id, name: name, kind: kind, connectionEnv: env, tables: tables)
        print(SystemProposal.yaml(system), terminator: "")
    }
}
