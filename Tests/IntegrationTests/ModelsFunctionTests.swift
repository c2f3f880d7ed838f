import Foundation
import FunctionRuntime
import Gateway
import GatewayProviders
import GatewayStore
import TestSupport
import XCTest

/// The `models` function as a CGI process: browsing with filters, sort and pages; custom models and
/// overrides; aliases; discovery; audit rows; and nobody sees another user's entries.
final class ModelsFunctionTests: XCTestCase {
    private let alice = Caller(userID: "user-alice", role: .authenticated)
    private let service = Caller(userID: "ops", role: .serviceRole)

    /// 30 shared OpenRouter models (half with tools, a third with vision) and alice's key for OpenRouter.
    private func seeded(_ label: String) throws -> (GatewayTestEnvironment, String) {
        let gateway = try GatewayTestEnvironment(label: label)
        let store = try gateway.store()
        let listing = try OpenRouterModelList.parse(try JSONValue.parse(CatalogueFixtures.generatedOpenRouterList(count: 30)))
        _ = try store.syncModels(service, providerID: "openrouter", ownerUserID: "", listing: CatalogueListing(models: listing), userProviderID: nil)
        let token = try gateway.token(alice.userID)
        let added = try gateway.invoke(
            "providers", "POST", "/", body: #"{"provider":"openrouter","api_key":"sk-test-gateway-NEVER-LOGGED-models-1234","validate":false}"#,
            token: token)
        XCTAssertEqual(added.head?.status, 201, added.text)
        return (gateway, token)
    }

    private func get(_ gateway: GatewayTestEnvironment, _ path: String = "/", query: String = "", token: String) throws -> JSONValue {
        let result = try gateway.invoke("models", "GET", path, query: query, token: token)
        XCTAssertEqual(result.head?.status, 200, result.text)
        return try JSONValue.parse(result.body)
    }

    private func ids(_ json: JSONValue) -> [String] { json["data"]?.arrayValue?.compactMap { $0["model_id"]?.stringValue } ?? [] }

    func testListingFiltersSortsAndPagesWithTotals() throws {
        let (gateway, token) = try seeded("models-list")
        let page2 = try get(gateway, query: "per_page=10&page=2&sort=created", token: token)
        XCTAssertEqual(page2["total"], 30)
        XCTAssertEqual(page2["pages"], 3)
        XCTAssertEqual(ids(page2), (10..<20).map { "vendor\($0 % 40)/model-\($0)" }, "created ascending, second page")
        XCTAssertEqual(ids(try get(gateway, query: "per_page=5&page=7", token: token)), [], "past the end: empty page, same total")

        XCTAssertEqual(try get(gateway, query: "capability=tools", token: token)["total"], 15)
        XCTAssertEqual(try get(gateway, query: "capability=vision", token: token)["total"], 10)
        XCTAssertEqual(try get(gateway, query: "type=embedding", token: token)["total"], 0)
        XCTAssertEqual(try get(gateway, query: "q=model-1", token: token)["total"], 11, "model-1 and model-10 to model-19")
        XCTAssertEqual(try get(gateway, query: "provider=openrouter&q=MODEL-2", token: token)["total"], 11, "search ignores case")
        XCTAssertEqual(try get(gateway, query: "provider=aihubmix", token: token)["total"], 0)

        let byPrice = try get(gateway, query: "sort=price&order=desc&per_page=30", token: token)["data"]?.arrayValue ?? []
        let prices = byPrice.compactMap { ($0["pricing"]?["input"]?.doubleValue ?? 0) + ($0["pricing"]?["output"]?.doubleValue ?? 0) }
        XCTAssertEqual(prices.count, 30)
        XCTAssertEqual(prices, prices.sorted(by: >))
        let byContext =
            try get(gateway, query: "sort=context&per_page=30", token: token)["data"]?.arrayValue?.compactMap { $0["context_window"]?.intValue } ?? []
        XCTAssertEqual(byContext, byContext.sorted())

        let grouped = try get(gateway, query: "view=grouped&per_page=4", token: token)
        XCTAssertEqual(grouped["providers"]?[0]?["provider"], "openrouter")
        XCTAssertEqual(grouped["providers"]?[0]?["count"], 4)
        XCTAssertEqual(grouped["total"], 30)

        for bad in ["per_page=0", "per_page=501", "page=0", "sort=size", "order=up", "type=spaceship", "view=tree"] {
            let result = try gateway.invoke("models", "GET", "/", query: bad, token: token)
            XCTAssertEqual(result.head?.status, 400, bad)
        }
        XCTAssertEqual(try get(gateway, token: try gateway.token("user-bob"))["total"], 0, "bob configured no provider")
    }

    func testCustomModelsAndOverridesAreTheCallersOwnAndAudited() throws {
        let (gateway, token) = try seeded("models-custom")
        let bob = try gateway.token("user-bob")
        let created = try gateway.invoke(
            "models", "POST", "/",
            body:
                #"{"provider":"openrouter","model_id":"my/finetune","display_name":"My finetune","context_window":32000,"pricing":{"input":1.5,"output":3}}"#,
            token: token)
        XCTAssertEqual(created.head?.status, 201, created.text)
        let custom = try JSONValue.parse(created.body)
        let customID = try XCTUnwrap(custom["id"]?.stringValue)
        XCTAssertEqual(custom["source"], "custom")
        XCTAssertEqual(custom["pricing"]?["input"], 1.5)
        XCTAssertEqual(
            try gateway.invoke("models", "POST", "/", body: #"{"provider":"openrouter","model_id":"my/finetune"}"#, token: token).head?.status, 409)
        XCTAssertEqual(
            try gateway.invoke("models", "POST", "/", body: #"{"provider":"openrouter","model_id":"x","pricing":{"input":-1}}"#, token: token).head?
                .status, 400)
        XCTAssertEqual(try get(gateway, query: "q=finetune", token: token)["total"], 1)
        XCTAssertEqual(try gateway.invoke("models", "GET", "/\(customID)", token: bob).head?.status, 404, "bob cannot see alice's custom model")
        XCTAssertEqual(try gateway.invoke("models", "PUT", "/\(customID)", body: #"{"display_name":"Mine"}"#, token: bob).head?.status, 404)
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/\(customID)", token: bob).head?.status, 404)
        let repriced = try gateway.invoke("models", "PUT", "/\(customID)", body: #"{"pricing":{"output":4}}"#, token: token)
        XCTAssertEqual(try JSONValue.parse(repriced.body)["pricing"]?["output"], 4, repriced.text)
        XCTAssertEqual(try JSONValue.parse(repriced.body)["pricing"]?["input"], 1.5, "a PUT changes only what it names")
        let cleared = try gateway.invoke("models", "PUT", "/\(customID)", body: #"{"display_name":null,"pricing":{"input":null}}"#, token: token)
        XCTAssertEqual(try JSONValue.parse(cleared.body)["display_name"], "my/finetune", "null clears the name: the id shows instead")
        XCTAssertEqual(try JSONValue.parse(cleared.body)["pricing"]?["input"], .null, cleared.text)
        XCTAssertEqual(try JSONValue.parse(cleared.body)["pricing"]?["output"], 4, "absent is not null")

        // A synced shared row: overrides only.
        let shared = try XCTUnwrap(try gateway.store().models(alice, providerID: "openrouter").first { $0.modelID == "vendor3/model-3" })
        let hidden = try gateway.invoke("models", "PUT", "/\(shared.id)", body: #"{"enabled":false,"pricing":{"input":0.01}}"#, token: token)
        XCTAssertEqual(try JSONValue.parse(hidden.body)["enabled"], false, hidden.text)
        XCTAssertEqual(try JSONValue.parse(hidden.body)["pricing"]?["input"], 0.01)
        XCTAssertFalse(ids(try get(gateway, query: "per_page=100", token: token)).contains("vendor3/model-3"), "disabled for alice")
        XCTAssertTrue(ids(try get(gateway, query: "per_page=100&include_disabled=true", token: token)).contains("vendor3/model-3"))
        XCTAssertFalse(try gateway.invoke("v1-chat", "GET", "/v1/models", token: token).text.contains("vendor3/model-3"), "and not routed")
        let restored = try gateway.invoke("models", "PUT", "/\(shared.id)", body: #"{"pricing":{"input":null,"cache_read":null}}"#, token: token)
        XCTAssertEqual(restored.head?.status, 200, "clearing a price an override cannot hold asks for nothing: \(restored.text)")
        let catalogueInput = try JSONValue.parse(try gateway.invoke("models", "GET", "/\(shared.id)", token: bob).body)["pricing"]?["input"]
        XCTAssertEqual(try JSONValue.parse(restored.body)["pricing"]?["input"], catalogueInput, "null drops the override's price")
        XCTAssertEqual(try JSONValue.parse(restored.body)["enabled"], false, "absent keeps the override's other fields")
        XCTAssertEqual(try gateway.invoke("models", "PUT", "/\(shared.id)", body: #"{"model_type":"image"}"#, token: token).head?.status, 400)
        XCTAssertEqual(
            try JSONValue.parse(try gateway.invoke("models", "GET", "/\(shared.id)", token: bob).body)["enabled"], true, "bob is unaffected")
        XCTAssertEqual(try JSONValue.parse(try gateway.invoke("models", "DELETE", "/\(shared.id)", token: token).body)["override_removed"], true)
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/\(shared.id)", token: token).head?.status, 409, "a synced model is not deleted")
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/\(customID)", token: token).head?.status, 200)
        XCTAssertEqual(try gateway.invoke("models", "GET", "/\(customID)", token: token).head?.status, 404)

        let entries = try gateway.store().auditEntries(alice).map { "\($0.entity):\($0.action)" }
        XCTAssertEqual(
            entries.filter { $0.hasPrefix("aggregator_models") }.sorted(),
            ["aggregator_models:create", "aggregator_models:delete", "aggregator_models:update", "aggregator_models:update"])
        XCTAssertEqual(
            entries.filter { $0.hasPrefix("model_overrides") }.sorted(),
            ["model_overrides:create", "model_overrides:delete", "model_overrides:update"])
        XCTAssertEqual(try gateway.store().auditEntries(Caller(userID: "user-bob", role: .authenticated)).count, 0, "bob's attempts changed nothing")
    }

    func testAliasesAreScopedGlobalOnesAreServiceOnlyAndEveryChangeIsAudited() throws {
        let gateway = try GatewayTestEnvironment(label: "models-aliases")
        let alice = try gateway.token(self.alice.userID), bob = try gateway.token("user-bob"), ops = try gateway.token("ops", role: .serviceRole)
        let set = try gateway.invoke(
            "models", "PUT", "/aliases/fast", body: #"{"model":"openai/gpt-4o-mini","preferred_provider":"openrouter"}"#, token: alice)
        XCTAssertEqual(set.head?.status, 201, set.text)
        XCTAssertEqual(try JSONValue.parse(set.body)["preferred_provider_id"], "openrouter")
        XCTAssertEqual(try gateway.invoke("models", "PUT", "/aliases/fast", body: #"{"model":"openai/gpt-4o"}"#, token: alice).head?.status, 200)
        XCTAssertEqual(
            try gateway.invoke("models", "PUT", "/aliases/x", body: #"{"model":"m","preferred_provider":"nowhere"}"#, token: alice).head?.status, 400)
        XCTAssertEqual(try gateway.invoke("models", "PUT", "/aliases/x", body: #"{}"#, token: alice).head?.status, 400)
        XCTAssertEqual(try gateway.invoke("models", "PUT", "/aliases/g", body: #"{"model":"m","global":true}"#, token: alice).head?.status, 403)
        XCTAssertEqual(
            try gateway.invoke("models", "PUT", "/aliases/fast", body: #"{"model":"google/gemini-2.0-flash","global":true}"#, token: ops).head?
                .status, 201)

        XCTAssertEqual(try get(gateway, "/aliases/fast", token: alice)["model"], "openai/gpt-4o", "alice's own alias hides the global one")
        XCTAssertEqual(try get(gateway, "/aliases/fast", token: bob)["model"], "google/gemini-2.0-flash", "bob sees only the global one")
        XCTAssertEqual(try get(gateway, "/aliases", token: bob)["data"]?.arrayValue?.count, 1)
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/aliases/fast", token: bob).head?.status, 404, "bob has no alias of his own to remove")
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/aliases/fast", query: "global=true", token: bob).head?.status, 403)
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/aliases/fast", token: alice).head?.status, 200)
        XCTAssertEqual(try get(gateway, "/aliases/fast", token: alice)["global"], true, "the global one shows again")
        XCTAssertEqual(try gateway.invoke("models", "DELETE", "/aliases/fast", query: "global=true", token: ops).head?.status, 200)
        XCTAssertEqual(try gateway.invoke("models", "GET", "/aliases/fast", token: alice).head?.status, 404)

        let actions = try gateway.store().auditEntries(self.alice).filter { $0.entity == "model_aliases" }.map(\.action)
        XCTAssertEqual(actions.sorted(), ["create", "delete", "update"])
        XCTAssertEqual(try gateway.store().auditEntries(service, scope: .allUsers, limit: 50).filter { $0.entity == "model_aliases" }.count, 5)
    }

    func testDiscoveryShowsWhatASyncWouldChangeAndWritesNothing() throws {
        let (gateway, token) = try seeded("models-discover")
        let upstream = try MockUpstream { _ in .json(status: 200, body: CatalogueFixtures.generatedOpenRouterList(count: 3)) }
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/api/v1")
        XCTAssertEqual(try gateway.invoke("sync-models", "POST", "/", token: token).head?.status, 200)
        let before = try gateway.store().models(alice, providerID: "openrouter").count

        let changed = try MockUpstream { _ in .json(status: 200, body: CatalogueFixtures.generatedOpenRouterList(count: 5, priceShift: 1)) }
        try gateway.setBaseURL("openrouter", changed.baseURL + "/api/v1")
        let discovered = try get(gateway, "/discover", token: token)
        let entry = try XCTUnwrap(discovered["providers"]?[0])
        XCTAssertEqual(entry["would_add"]?.arrayValue?.compactMap { $0["model_id"]?.stringValue }, ["vendor3/model-3", "vendor4/model-4"])
        XCTAssertEqual(entry["would_update"]?.arrayValue?.count, 3, "prices moved")
        XCTAssertEqual(entry["would_remove"], [])
        XCTAssertEqual(try gateway.store().models(alice, providerID: "openrouter").count, before, "discovery writes nothing")
    }
}
