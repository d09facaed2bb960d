import ArgumentParser

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await storage.withStore { _ in }
        print("pledge: database is up to date (\(storage.describe))")
    }
}
