import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// The `providers` function as a CGI process: keys are validated against the provider (a mock),
/// stored encrypted, never echoed, and scoped to their owner.
final class ProvidersFunctionTests: XCTestCase {
    private static let goodKey = "sk-test-gw-NEVER-LOGGED-pk-0123456789ab"
    private static let badKey = "sk-test-gw-NEVER-LOGGED-pk-refused-99x"

    private func call(_ gateway: GatewayTestEnvironment, _ method: String, _ path: String, body: String = "", token: String) throws
        -> CGIInvocation.Result
    {
        try gateway.invoke("providers", method, path, body: body, token: token)
    }

    private func json(_ result: CGIInvocation.Result) throws -> JSONValue { try JSONValue.parse(result.body) }

    func testAddingAKeyValidatesEncryptsNeverEchoesItAndRefusesDuplicates() throws {
        let gateway = try GatewayTestEnvironment(label: "providers")
        let store = try gateway.store()
        let mock = try MockUpstream { request in
            request.headers["authorization"] == "Bearer \(Self.goodKey)"
                ? .json(status: 200, body: #"{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}"#)
                : .json(status: 401, body: #"{"error":{"message":"Incorrect API key provided: \#(Self.badKey)","code":"invalid_api_key"}}"#)
        }
        try gateway.setBaseURL("openai", mock.baseURL + "/v1")
        let alice = try gateway.token("user-alice"), bob = try gateway.token("user-bob")

        let added = try call(
            gateway, "POST", "/", body: #"{"provider":"openai","api_key":"\#(Self.goodKey)","priority":2,"settings":{"org":"x"}}"#, token: alice)
        XCTAssertEqual(added.head?.status, 201, added.text)
        XCTAssertFalse(added.text.contains(Self.goodKey), "the key is never echoed")
        let created = try json(added)
        XCTAssertEqual(created["key_last4"], "89ab")
        XCTAssertEqual(created["health_status"], "healthy")
        XCTAssertEqual(created["priority"], 2)
        XCTAssertEqual(mock.requests.first?.path, "/v1/models", "validated with a cheap authenticated call")
        let id = try XCTUnwrap(created["id"]?.stringValue)

        let stored = try XCTUnwrap(try store.userProvider(Caller(userID: "user-alice", role: .authenticated), id: id))
        XCTAssertTrue(stored.apiKeyEncrypted.hasPrefix("v1:test1:"), "sealed by the vault")
        XCTAssertFalse(stored.apiKeyEncrypted.contains(Self.goodKey))
        XCTAssertTrue(stored.apiKeyHash.hasPrefix("test1:"), "an HMAC, not the key")

        let duplicate = try call(gateway, "POST", "/", body: #"{"provider":"openai","api_key":"\#(Self.goodKey)"}"#, token: alice)
        XCTAssertEqual(duplicate.head?.status, 409, duplicate.text)
        let refused = try call(gateway, "POST", "/", body: #"{"provider":"openai","api_key":"\#(Self.badKey)"}"#, token: alice)
        XCTAssertEqual(refused.head?.status, 400, refused.text)
        XCTAssertEqual((refused.json?["error"] as? [String: Any])?["code"] as? String, "invalid_provider_key")
        XCTAssertTrue(refused.text.contains("Incorrect API key"), "the provider's reason: \(refused.text)")
        XCTAssertFalse(refused.text.contains(Self.badKey), "redacted from the provider's message")
        let unvalidated = try call(gateway, "POST", "/", body: #"{"provider":"openai","api_key":"\#(Self.badKey)","validate":false}"#, token: bob)
        XCTAssertEqual(unvalidated.head?.status, 201, "validate:false stores without calling: \(unvalidated.text)")
        XCTAssertEqual(try json(unvalidated)["health_status"], "unknown")

        for (body, code) in [
            ("nope", "invalid_json"), (#"{"api_key":"k"}"#, "invalid_request"), (#"{"provider":"openai"}"#, "invalid_request"),
            (#"{"provider":"nowhere","api_key":"k"}"#, "unknown_provider"),
        ] {
            let bad = try call(gateway, "POST", "/", body: body, token: alice)
            XCTAssertEqual(bad.head?.status, 400, body)
            XCTAssertEqual((bad.json?["error"] as? [String: Any])?["code"] as? String, code, body)
        }

        let listed = try json(try call(gateway, "GET", "/", token: alice))
        XCTAssertEqual(listed["available"]?.arrayValue?.count, 5)
        XCTAssertEqual(listed["configured"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])
        XCTAssertEqual(try store.auditEntries(Caller(userID: "user-alice", role: .authenticated)).map(\.action), ["create"])
        XCTAssertFalse(try String(contentsOfFile: "\(gateway.directory)/providers.log", encoding: .utf8).contains("NEVER-LOGGED"))
    }

    func testTheListSaysWhoTheCallerIsAndEachProvidersFeatures() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-caller")
        let listed = try json(try call(gateway, "GET", "/", token: try gateway.token("user-dora")))
        XCTAssertEqual(listed["caller"], ["user_id": "user-dora", "role": "authenticated"])
        let admin = try json(try call(gateway, "GET", "/", token: try gateway.token("ops", role: .serviceRole)))
        XCTAssertEqual(admin["caller"]?["role"], "service_role")
        let providers = try XCTUnwrap(listed["available"]?.arrayValue)
        let anthropic = try XCTUnwrap(providers.first { $0["name"] == "anthropic" })
        XCTAssertEqual(anthropic["features"]?["prompt_caching"], true)
        XCTAssertEqual(anthropic["features"]?["many_model_vendors"], nil)
        XCTAssertEqual(providers.first { $0["name"] == "openrouter" }?["features"]?["many_model_vendors"], true)
    }

    func testAKeyReadAloneSaysHowManyUsageRowsRemovingItKeeps() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-usage-rows")
        let alice = Caller(userID: "user-alice", role: .authenticated)
        let store = try gateway.store()
        let key = UserProvider(
            id: UUID().uuidString.lowercased(), userID: alice.userID, providerID: "openrouter",
            apiKeyEncrypted: "v1:none:none", apiKeyHash: "hash-1", apiKeyLast4: "abcd")
        try store.insertUserProvider(alice, key)
        for index in 0..<3 {
            try store.recordUsage(
                alice,
                UsageRecord(
                    id: "row-\(index)", userID: alice.userID, providerID: "openrouter", userProviderID: key.id,
                    status: .success, createdAt: 1_780_000_000_000 + Int64(index)))
        }
        let token = try gateway.token(alice.userID)
        try store.saveModel(Caller(userID: "ops", role: .serviceRole), CatalogueModel(id: UUID().uuidString, providerID: "openrouter", modelID: "m1"))
        let read = try json(try call(gateway, "GET", "/\(key.id)", token: token))
        XCTAssertEqual(read["usage_rows"], 3)
        XCTAssertEqual(read["catalogue_models"], 1)
        let removed = try json(try call(gateway, "DELETE", "/\(key.id)", token: token))
        XCTAssertEqual(removed["usage_rows_kept"], 3, "what the confirmation promised is what the removal kept")
        XCTAssertEqual(removed["catalogue_models_kept"], 1)
    }

    func testAnotherUsersKeyCannotBeReadOrRemoved() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-tenancy")
        let alice = try gateway.token("user-alice"), bob = try gateway.token("user-bob")
        let added = try call(gateway, "POST", "/", body: #"{"provider":"openrouter","api_key":"\#(Self.goodKey)","validate":false}"#, token: alice)
        let id = try XCTUnwrap(try json(added)["id"]?.stringValue)

        XCTAssertEqual(try call(gateway, "GET", "/\(id)", token: bob).head?.status, 404)
        XCTAssertEqual(try call(gateway, "DELETE", "/\(id)", token: bob).head?.status, 404)
        XCTAssertEqual(try json(try call(gateway, "GET", "/", token: bob))["configured"], [])
        XCTAssertEqual(try call(gateway, "GET", "/\(id)", token: alice).head?.status, 200)

        let removed = try call(gateway, "DELETE", "/\(id)", token: alice)
        XCTAssertEqual(removed.head?.status, 200, removed.text)
        XCTAssertEqual(try json(removed)["usage_rows_kept"], 0)
        XCTAssertEqual(try call(gateway, "GET", "/\(id)", token: alice).head?.status, 404)
        XCTAssertEqual(
            try gateway.store().auditEntries(Caller(userID: "user-alice", role: .authenticated)).map(\.action).sorted(), ["create", "delete"])
    }

    func testUpdatingTestingAndListingAKeysModelsAndEveryRouteIsTenantScoped() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-manage")
        let accepted = Mutex<Bool>(true)
        let mock = try MockUpstream { request in
            let good = request.headers["authorization"] == "Bearer \(Self.goodKey)" || request.headers["authorization"] == "Bearer \(Self.goodKey)-2"
            guard good && accepted.withLock({ $0 }) else {
                return .json(status: 401, body: #"{"error":{"message":"Invalid key","code":"invalid_api_key"}}"#)
            }
            return .json(status: 200, body: #"{"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"gpt-4o-mini","object":"model"}]}"#)
        }
        try gateway.setBaseURL("openai", mock.baseURL + "/v1")
        let alice = try gateway.token("user-alice"), bob = try gateway.token("user-bob")
        let id = try XCTUnwrap(
            try json(try call(gateway, "POST", "/", body: #"{"provider":"openai","api_key":"\#(Self.goodKey)"}"#, token: alice))["id"]?.stringValue)

        let tested = try json(try call(gateway, "POST", "/\(id)/test", token: alice))
        XCTAssertEqual(tested["ok"], true)
        XCTAssertEqual(tested["status"], 200)
        XCTAssertEqual(tested["models_available"], 2)
        XCTAssertNotNil(tested["latency_ms"]?.intValue)
        accepted.withLock { $0 = false }
        let failing = try call(gateway, "POST", "/\(id)/test", token: alice)
        XCTAssertEqual(failing.head?.status, 200, "a refused key is a test result, not an error")
        XCTAssertEqual(try json(failing)["ok"], false)
        XCTAssertEqual(try json(failing)["error"]?["code"], "invalid_provider_key")
        let aliceCaller = Caller(userID: "user-alice", role: .authenticated)
        XCTAssertEqual(try gateway.store().userProvider(aliceCaller, id: id)?.healthStatus, .unhealthy, "the test records health")
        XCTAssertNotNil(try gateway.store().userProvider(aliceCaller, id: id)?.lastHealthCheck)
        accepted.withLock { $0 = true }

        let updated = try call(gateway, "PUT", "/\(id)", body: #"{"priority":5,"is_active":false,"settings":{"price_unit":"per_1k"}}"#, token: alice)
        XCTAssertEqual(updated.head?.status, 200, updated.text)
        XCTAssertEqual(try json(updated)["priority"], 5)
        XCTAssertEqual(try json(updated)["is_active"], false)
        XCTAssertEqual(try call(gateway, "PUT", "/\(id)", body: #"{"settings":{"price_unit":"per_furlong"}}"#, token: alice).head?.status, 400)
        let rekeyed = try call(gateway, "PUT", "/\(id)", body: #"{"api_key":"\#(Self.goodKey)-2"}"#, token: alice)
        XCTAssertEqual(rekeyed.head?.status, 200, rekeyed.text)
        XCTAssertFalse(rekeyed.text.contains(Self.goodKey))
        XCTAssertEqual(try json(rekeyed)["key_last4"], "ab-2")
        let refused = try call(gateway, "PUT", "/\(id)", body: #"{"api_key":"\#(Self.badKey)"}"#, token: alice)
        XCTAssertEqual(refused.head?.status, 400, "a new key is re-validated: \(refused.text)")
        XCTAssertEqual(try gateway.store().userProvider(aliceCaller, id: id)?.apiKeyLast4, "ab-2", "the refused key was not stored")

        try gateway.store().saveModel(
            Caller(userID: "s", role: .serviceRole),
            CatalogueModel(
                id: UUID().uuidString, providerID: "openai",
                modelID: "gpt-4o", inputPrice: 2.5, outputPrice: 10))
        let models = try json(try call(gateway, "GET", "/\(id)/models", token: alice))
        XCTAssertEqual(models["count"], 1)
        XCTAssertEqual(models["data"]?[0]?["pricing"]?["input"], 2.5)
        XCTAssertEqual(models["data"]?[0]?["pricing"]?["unit"], "usd_per_1m_tokens")

        for (method, path) in [("GET", "/\(id)"), ("PUT", "/\(id)"), ("DELETE", "/\(id)"), ("POST", "/\(id)/test"), ("GET", "/\(id)/models")] {
            let result = try call(gateway, method, path, body: method == "PUT" ? #"{"priority":1}"# : "", token: bob)
            XCTAssertEqual(result.head?.status, 404, "bob cannot \(method) \(path): \(result.text)")
        }
        XCTAssertEqual(try gateway.store().userProvider(aliceCaller, id: id)?.priority, 5, "bob's PUT changed nothing")
        XCTAssertEqual(try gateway.store().auditEntries(aliceCaller).map(\.action).filter { $0 == "update" }.count, 2)
        XCTAssertFalse(try gateway.store().auditEntries(aliceCaller).contains { $0.after?.serializedString.contains("NEVER-LOGGED") == true })
    }

    func testOnlyTheServiceRoleEditsTheProviderCatalogue() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-catalogue")
        let alice = try gateway.token("user-alice"), service = try gateway.token("ops", role: .serviceRole)
        let body =
            #"{"name":"groq","display_name":"Groq","provider_type":"direct","api_standard":"openai","base_url":"https://api.groq.com/openai/v1"}"#
        XCTAssertEqual(try call(gateway, "POST", "/catalogue", body: body, token: alice).head?.status, 403)
        let created = try call(gateway, "POST", "/catalogue", body: body, token: service)
        XCTAssertEqual(created.head?.status, 201, created.text)
        XCTAssertEqual(try call(gateway, "POST", "/catalogue", body: body, token: service).head?.status, 409)
        XCTAssertEqual(try call(gateway, "PUT", "/catalogue/openai", body: #"{"base_url":"https://evil.example"}"#, token: alice).head?.status, 403)
        XCTAssertEqual(try call(gateway, "PUT", "/catalogue/openai", body: #"{"base_url":"ftp://x"}"#, token: service).head?.status, 400)
        let moved = try call(gateway, "PUT", "/catalogue/openai", body: #"{"base_url":"https://openai.internal/v1"}"#, token: service)
        XCTAssertEqual(try json(moved)["base_url"], "https://openai.internal/v1")
        XCTAssertEqual(try json(try call(gateway, "GET", "/", token: alice))["available"]?.arrayValue?.count, 6)
        let entries = try gateway.store().auditEntries(Caller(userID: "ops", role: .serviceRole), scope: .allUsers, limit: 10)
        XCTAssertEqual(entries.filter { $0.entity == "api_providers" }.map(\.action).sorted(), ["create", "update"])
    }

    func testACatalogueEntryMustSpeakAWireFormatTheGatewayKnows() throws {
        let gateway = try GatewayTestEnvironment(label: "providers-catalogue-standard")
        let service = try gateway.token("ops", role: .serviceRole)
        let body = #"{"name":"mistral","provider_type":"direct","api_standard":"mistral","base_url":"https://api.mistral.ai/v1"}"#
        let refused = try call(gateway, "POST", "/catalogue", body: body, token: service)
        XCTAssertEqual(refused.head?.status, 400, refused.text)
        XCTAssertEqual(try json(refused)["error"]?["param"], "api_standard")
        XCTAssertEqual(
            try json(refused)["error"]?["message"]?.stringValue,
            "'api_standard' must be one this gateway speaks: openai, anthropic, gemini.")
        XCTAssertNil(try gateway.store().catalogueProvider(Caller(userID: "ops", role: .serviceRole), id: "mistral"))
    }
}
