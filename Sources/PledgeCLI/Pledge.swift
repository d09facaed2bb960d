import ArgumentParser

/// `pledge`: the privacy-operations server and its tools.
@main
struct Pledge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pledge",
        abstract: "Keep the promises of a privacy policy: declare it once in pledge.yaml, and serve, check and render it.",
        subcommands: [
            Serve.self, Lint.self, Render.self, Schema.self, Migrate.self, Keys.self, Audit.self, Vault.self, Backup.self, Restore.self, SMTP.self,
            Marketing.self, Retention.self, Discover.self,
        ]
    )
}
