import Foundation
import PledgeCore

/// Where a system's database is, read from the environment or a file at the moment it is needed
/// (issue 30 §1): the declaration names the variable or the file, never the credentials.
enum SystemConnectionURL {
    /// A database Pledge can open.
    enum Target: Equatable {
        case postgres(url: String, schema: String?)
        case sqlite(path: String)
        case mysql(MariaDBPool.Target)
    }

    /// The target of `system`, from `environment` or its `connection_file`.
    static func target(of system: DataSystem, environment: [String: String]) throws(SystemRefusal) -> Target {
        let text: String?
        let source: String
        if let name = system.connectionEnv {
            (text, source) = (environment[name], "the environment variable \(name)")
        } else if let file = system.connectionFile {
            let contents = try? String(contentsOfFile: file, encoding: .utf8)
            (text, source) = (contents?.split(whereSeparator: \.isNewline).first.map(String.init), "the file \(file)")
        } else {
            (text, source) = (nil, "connection_env or connection_file in the declaration")
        }
        guard let url = text?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            throw .connectionMissing(system: system.id, from: source)
        }
        switch system.kind {
        case .postgres:
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw .connectionInvalid(system: system.id, detail: "a postgres system needs a postgres:// URL")
            }
            do {
                let (plain, schema) = try StoreConfiguration.postgres(url: url).postgresConnection()
                return .postgres(url: plain, schema: schema)
            } catch {
                throw .connectionInvalid(system: system.id, detail: "\(error)")
            }
        case .mysql:
            guard let target = MariaDBPool.target(of: url) else {
                throw .connectionInvalid(system: system.id, detail: "a mysql system needs a mysql://user:password@host:port/database URL")
            }
            return .mysql(target)
        case .http:
            throw .connectionInvalid(system: system.id, detail: "an http system is asked over HTTP, not opened as a database")
        case .sqlite:
            let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
            guard FileManager.default.fileExists(atPath: path) else {
                throw .connectionInvalid(system: system.id, detail: "no SQLite file at the path given")
            }
            return .sqlite(path: path)
        }
    }
}
