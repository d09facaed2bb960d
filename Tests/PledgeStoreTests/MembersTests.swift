import Foundation
import PledgeTestSupport
import SQLKit
import Testing

@testable import PledgeStore

@Suite("Many values in one bind")
struct MembersTests {
    @Test("issue 29 (retention bench): a JSON array of strings escapes quotes, backslashes and control characters; JSON reads it back")
    func jsonArray() throws {
        let values = ["plain", "a\"quote", "back\\slash", "line\nbreak\u{1}", "é ✓", ""]
        let json = SQLQueryString.jsonArray(values)
        #expect(try JSONDecoder().decode([String].self, from: Data(json.utf8)) == values)
        #expect(SQLQueryString.jsonArray([]) == "[]")
    }

    @Test("issue 29: `IN (members)` finds exactly the rows of the values given, none for none, on both backends", arguments: StoreBackend.all)
    func membersSelect(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let sql = database.sql
            try await sql.raw("CREATE TABLE members_probe (id TEXT PRIMARY KEY)").run()
            for id in ["a", "b\"", "c\\", "d"] { try await sql.raw("INSERT INTO members_probe (id) VALUES (\(bind: id))").run() }
            func found(_ values: [String]) async throws -> [String] {
                try await sql.raw("SELECT id FROM members_probe WHERE id IN (\(SQLQueryString.members(values, in: sql))) ORDER BY id").all()
                    .map { try $0.decode(column: "id", as: String.self) }
            }
            #expect(try await found(["b\"", "c\\", "x"]) == ["b\"", "c\\"])
            #expect(try await found([]).isEmpty)
            #expect(try await found(["a", "a", "d"]) == ["a", "d"])
        }
    }
}
