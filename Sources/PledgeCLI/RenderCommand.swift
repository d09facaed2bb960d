import ArgumentParser
import Foundation
import PledgeCore

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render documents from a declaration.",
        subcommands: [Notice.self, Ropa.self, Cookies.self, ContentPolicy.self]
    )

    struct Notice: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The privacy notice (UK GDPR Arts 13 and 14).")
        enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, html }
        @Argument(help: "The declaration file.") var file: String
        @Option(help: "markdown or html.") var format: Format = .markdown

        func run() throws {
            let notice = NoticeComposer(declaration: try DeclarationFile.load(file)).compose()
            print(format == .html ? NoticeWriter.htmlPage(notice) : NoticeWriter.markdown(notice), terminator: "")
        }
    }

    struct Ropa: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The record of processing activities (UK GDPR Art 30(1)).")
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, html }
        @Argument(help: "The declaration file.") var file: String
        @Option(help: "csv or html.") var format: Format = .csv

        func run() throws {
            let record = RecordOfProcessing(declaration: try DeclarationFile.load(file))
            print(format == .html ? record.html() : record.csv(), terminator: "")
        }
    }

    struct Cookies: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cookie and similar-technologies table, as Markdown.")
        @Argument(help: "The declaration file.") var file: String

        func run() throws {
            let table = CookieTable(declaration: try DeclarationFile.load(file))
            print(NoticeWriter.markdownTable(header: CookieTable.header, rows: table.rows), terminator: "")
        }
    }

    struct ContentPolicy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csp",
            abstract: "The Content-Security-Policy for the organisation's website: third parties load only from declared hosts.")
        @Argument(help: "The declaration file.") var file: String
        @Option(help: "The URL Pledge is served from, when the website uses its banner and forms from another origin.") var pledgeURL: String?

        func run() throws {
            let policy = SiteContentPolicy(try DeclarationFile.load(file), pledge: pledgeURL)
            for id in policy.withoutHosts {
                FileHandle.standardError.write(
                    Data("note: technologies.\(id) is third-party and names no hosts: the policy does not let it load\n".utf8))
            }
            for rejected in policy.rejectedHosts {
                FileHandle.standardError.write(
                    Data("note: technologies.\(rejected.technology): '\(rejected.host)' is not a host name and was left out\n".utf8))
            }
            print(policy.header)
        }
    }
}
