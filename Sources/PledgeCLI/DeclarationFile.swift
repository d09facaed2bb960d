import ArgumentParser
import Foundation
import PledgeCore

/// Reads a declaration file for a command, or fails with exit status 2 and the loader's findings.
enum DeclarationFile {
    static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("pledge: cannot read \(path): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func load(_ path: String) throws -> Declaration {
        let text = try read(path)
        let loaded = DeclarationLoader.load(yaml: text)
        guard loaded.isUsable, let declaration = loaded.declaration else {
            FileHandle.standardError.write(Data(LintReport(file: path, findings: loaded.findings).text().utf8))
            throw ExitCode(2)
        }
        return declaration
    }

    static var today: CalendarDate { CalendarDate(utc: Date()) }
}
