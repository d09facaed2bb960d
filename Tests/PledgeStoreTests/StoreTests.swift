import Testing

/// All store suites. Each test has a store of its own (a PostgreSQL test, a schema of its own), so
/// they may run side by side.
@Suite("Store")
enum StoreTests {}
