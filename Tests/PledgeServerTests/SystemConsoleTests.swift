import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeStore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The console's case page for an erasure that reaches the organisation's own database (issue 30 §4:
/// plan first): the dry run lists every row fulfilling would delete, mask or keep, and changes nothing.
@Suite("Systems in the console")
struct SystemConsoleTests {
    /// One variable per backend: the two cases run side by side in one process.
    static func variable(_ kind: SystemKind) -> String { "PLEDGE_TEST_CONSOLE_SHOP_URL_\(kind.rawValue.uppercased())" }

    @Test(
        "C32/ECR-41/OEX-71: an erasure case's console page shows the dry run in the shop, table by table with the rows' keys, before staff fulfil it; the shop is unchanged",
        arguments: StoreBackend.all)
    func dryRunOnTheCasePage(_ backend: StoreBackend) async throws {
        try await ShopDatabase.with(backend) { shop in
            setenv(Self.variable(shop.kind), shop.url, 1)
            let systems = try ExampleFiles.shopSystems(kind: shop.kind).replacingOccurrences(of: "SHOP_DATABASE_URL", with: Self.variable(shop.kind))
            try await TestServer(backend: backend) { $0 + "\n" + systems }.test { client, keys in
                let (opened, created, _) = try await MarketingAPITests.post(
                    client, keys, "/v1/requests", role: "support",
                    ["kind": "erasure", "channel": "email", "verifiedBy": "known_contact", "requester": ["email": "ada@shop.example"]])
                #expect(opened == .created, "\(created)")
                let id = try #require(created["id"] as? String)
                let session = try await ConsoleTests.session(client, try #require(keys.tokens["dpo"]))
                let page = try await client.execute(uri: "/admin/requests/\(id)", method: .get, headers: ConsoleTests.cookie(session)) {
                    #expect($0.status == .ok)
                    return $0.body.text
                }
                #expect(page.contains("What erasure will do in your systems") && page.contains("id=\"system-plan\""), "\(page)")
                #expect(page.contains("customers: 1 row(s) masked") && page.contains("[id 1]"), "\(page)")
                #expect(page.contains("orders: ") && page.contains("kept (Sales records kept six years"), "\(page)")
                #expect(try await shop.rows("SELECT email FROM customers WHERE id = 1") == [["ada@shop.example"]], "a dry run changes nothing")
            }
        }
    }
}
