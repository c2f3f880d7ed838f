import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import Synchronization
import TestSupport
import XCTest

/// `sync-models` as a CGI process against a mock upstream serving the providers' real list formats.
final class SyncModelsFunctionTests: XCTestCase {
    private static let key = "sk-test-gateway-NEVER-LOGGED-sync-0123456789"
    private let alice = Caller(userID: "user-alice", role: .authenticated)

    /// What the mock serves; tests change it between syncs.
    private final class Catalogues: Sendable {
        let openRouter: Mutex<String>
        let aiHubMixRich = Mutex<String?>(CatalogueFixtures.aiHubMixRich)
        init(openRouter: String) { self.openRouter = Mutex(openRouter) }
    }

    private func mock(_ catalogues: Catalogues) throws -> MockUpstream {
        try MockUpstream { request in
            let path = request.path.split(separator: "?").first.map(String.init) ?? request.path
            let credential = request.headers["authorization"] ?? request.headers["x-goog-api-key"] ?? ""
            guard credential.contains("NEVER-LOGGED"), !credential.contains("refused") else {
                return .json(status: 401, body: #"{"error":{"message":"Invalid API key: \#(request.headers["authorization"] ?? "")","code":401}}"#)
            }
            switch path {
            case "/openrouter/api/v1/models": return .json(status: 200, body: catalogues.openRouter.withLock { $0 })
            case "/aihubmix/api/v1/models":
                return catalogues.aiHubMixRich.withLock { $0 }.map { .json(status: 200, body: $0) } ?? .json(status: 404, body: "not here")
            case "/aihubmix/v1/models": return .json(status: 200, body: CatalogueFixtures.plainList)
            case "/broken/v1/models": return .json(status: 200, body: "{\"data\": [ this is not json")
            case _ where path.hasPrefix("/slow/"): return .hang
            default: return .json(status: 404, body: #"{"error":{"message":"no route \#(path)"}}"#)
            }
        }
    }

    private func addKey(_ gateway: GatewayTestEnvironment, _ provider: String, token: String, settings: String = "{}", apiKey: String = key) throws
        -> String
    {
        let added = try gateway.invoke(
            "providers", "POST", "/", body: #"{"provider":"\#(provider)","api_key":"\#(apiKey)","validate":false,"settings":\#(settings)}"#,
            token: token)
        XCTAssertEqual(added.head?.status, 201, added.text)
        return try XCTUnwrap(try JSONValue.parse(added.body)["id"]?.stringValue)
    }

    private func sync(_ gateway: GatewayTestEnvironment, body: String = "", token: String, extra: [String: String] = [:]) throws -> (
        status: Int?, json: JSONValue
    ) {
        let result = try gateway.invoke("sync-models", "POST", "/", body: body, token: token, extra: extra)
        XCTAssertFalse(result.text.contains("NEVER-LOGGED"), "the key never appears in a response")
        return (result.head?.status, (try? JSONValue.parse(result.body)) ?? .null)
    }

    func testABodyThatIsNotAnObjectOrAFieldOfTheWrongTypeIsA400NamingIt() throws {
        let gateway = try GatewayTestEnvironment(label: "sync-bad-body")
        let token = try gateway.token("user-alice")
        for body in ["[1]", "not json"] {
            let refused = try sync(gateway, body: body, token: token)
            XCTAssertEqual(refused.status, 400, body)
            XCTAssertEqual(refused.json["error"]?["code"], "invalid_json", body)
            XCTAssertEqual(refused.json["error"]?["message"], "The request body must be a JSON object (or empty).", body)
        }
        let typed = try sync(gateway, body: #"{"provider_id":7}"#, token: token)
        XCTAssertEqual(typed.status, 400)
        XCTAssertEqual(typed.json["error"]?["param"], "provider_id")
    }

    private func entry(_ json: JSONValue, _ provider: String) throws -> JSONValue {
        try XCTUnwrap(json["providers"]?.arrayValue?.first { $0["provider"]?.stringValue == provider }, "\(json)")
    }

    func testTheOpenRouterSnapshotSyncsIdempotentlyAndAModelThatLeavesComesBack() throws {
        let snapshot = String(decoding: try CatalogueFixtures.openRouterSnapshot(), as: UTF8.self)
        let catalogues = Catalogues(openRouter: snapshot)
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-openrouter")
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/openrouter/api/v1")
        let token = try gateway.token(alice.userID)
        let keyID = try addKey(gateway, "openrouter", token: token)

        let first = try sync(gateway, token: token)
        XCTAssertEqual(first.status, 200, "\(first.json)")
        XCTAssertEqual(first.json["count"], 220)
        let openrouter = try entry(first.json, "openrouter")
        XCTAssertEqual(openrouter["added"], 220)
        XCTAssertEqual(openrouter["removed"], 0)
        XCTAssertEqual(openrouter["user_provider_id"]?.stringValue, keyID)
        XCTAssertNotNil(openrouter["duration_ms"]?.intValue)

        let store = try gateway.store()
        let rows = try store.models(alice, providerID: "openrouter")
        XCTAssertEqual(rows.count, 220)
        XCTAssertEqual(rows.first { $0.modelID == "minimax/minimax-01" }?.inputPrice, 0.2)
        XCTAssertEqual(rows.first { $0.modelID == "minimax/minimax-01" }?.outputPrice, 1.1)
        XCTAssertNil(rows.first { $0.modelID == "openrouter/auto" }?.inputPrice, "\"-1\" is variable pricing, not -1 USD")
        XCTAssertNotNil(try store.userProvider(alice, id: keyID)?.lastSyncedAt)

        let again = try entry(try sync(gateway, token: token).json, "openrouter")
        XCTAssertEqual([again["added"], again["updated"], again["removed"], again["total"]], [0, 0, 0, 220], "a re-sync changes nothing")

        // minimax-01 leaves the provider's list: kept, unavailable, no longer offered.
        var json = try JSONValue.parse(snapshot)
        json = ["data": .array((json["data"]?.arrayValue ?? []).filter { $0["id"] != "minimax/minimax-01" })]
        catalogues.openRouter.withLock { $0 = json.serializedString }
        let removed = try entry(try sync(gateway, token: token).json, "openrouter")
        XCTAssertEqual([removed["added"], removed["updated"], removed["removed"], removed["total"]], [0, 0, 1, 219])
        XCTAssertEqual(try store.models(alice, providerID: "openrouter").first { $0.modelID == "minimax/minimax-01" }?.isAvailable, false)
        let offered = try gateway.invoke("v1-chat", "GET", "/v1/models", token: token)
        XCTAssertFalse(offered.text.contains("minimax/minimax-01"), "an unavailable model is not offered")
        XCTAssertTrue(offered.text.contains("openai/gpt-4o"), offered.text)

        catalogues.openRouter.withLock { $0 = snapshot }
        let back = try entry(try sync(gateway, token: token).json, "openrouter")
        XCTAssertEqual([back["added"], back["updated"], back["removed"], back["total"]], [0, 1, 0, 220], "it came back")
        XCTAssertEqual(try store.models(alice, providerID: "openrouter").count, 220, "never duplicated")

        let syncRows = try gateway.usageRows().filter { $0.function == "sync-models" }
        XCTAssertEqual(syncRows.count, 4, "one usage row per sync request")
        XCTAssertTrue(syncRows.allSatisfy { $0.status == .success && $0.userID == alice.userID })
    }

    func testOneProviderFailingIsReportedWhileTheOthersStillSync() throws {
        let catalogues = Catalogues(openRouter: CatalogueFixtures.generatedOpenRouterList(count: 30))
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-partial")
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/openrouter/api/v1")
        try gateway.setBaseURL("aihubmix", upstream.baseURL + "/aihubmix/v1")
        try gateway.setBaseURL("openai", upstream.baseURL + "/broken/v1")
        try gateway.setBaseURL("google", upstream.baseURL + "/slow/v1beta")
        let token = try gateway.token(alice.userID)
        _ = try addKey(gateway, "openrouter", token: token)
        let refusedKey = "sk-test-gateway-NEVER-LOGGED-refused-98765"
        let aihubmix = try addKey(gateway, "aihubmix", token: token, apiKey: refusedKey)
        _ = try addKey(gateway, "openai", token: token, apiKey: "sk-test-gateway-NEVER-LOGGED-openai-5555")
        _ = try addKey(gateway, "google", token: token, apiKey: "sk-test-gateway-NEVER-LOGGED-google-5555")

        let result = try sync(gateway, token: token, extra: ["GATEWAY_SYNC_TIMEOUT_MS": "1500"])
        XCTAssertEqual(result.status, 200, "\(result.json)")
        XCTAssertEqual(result.json["count"], 30)
        XCTAssertEqual(try entry(result.json, "openrouter")["added"], 30)
        XCTAssertNil(try entry(result.json, "openrouter")["error"])
        XCTAssertEqual(try entry(result.json, "aihubmix")["error"]?["code"], "invalid_provider_key")
        XCTAssertFalse(result.json.serializedString.contains("refused-98765"), "the provider's echo of the key is redacted")
        XCTAssertEqual(try entry(result.json, "openai")["error"]?["code"], "malformed_response")
        XCTAssertEqual(try entry(result.json, "google")["error"]?["code"], "upstream_timeout")
        XCTAssertEqual(try gateway.store().userProvider(alice, id: aihubmix)?.healthStatus, .unhealthy)

        let one = try sync(gateway, body: #"{"provider_id":"openai"}"#, token: token)
        XCTAssertEqual(one.status, 502, "every provider asked for failed: \(one.json)")
        XCTAssertEqual(one.json["error"]?["code"], "sync_failed")
        XCTAssertEqual(one.json["providers"]?.arrayValue?.count, 1)
        XCTAssertEqual(try sync(gateway, body: #"{"provider_id":"anthropic"}"#, token: token).status, 404)
        XCTAssertEqual(try sync(gateway, body: "[1]", token: token).status, 400)
        XCTAssertFalse(try String(contentsOfFile: "\(gateway.directory)/sync-models.log", encoding: .utf8).contains("NEVER-LOGGED"))
    }

    func testAiHubMixRichCatalogueThenThePlainListFallbackWithThePriceUnitSetting() throws {
        let catalogues = Catalogues(openRouter: "{}")
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-aihubmix")
        try gateway.setBaseURL("aihubmix", upstream.baseURL + "/aihubmix/v1")
        let token = try gateway.token(alice.userID)
        _ = try addKey(gateway, "aihubmix", token: token)

        let rich = try entry(try sync(gateway, token: token).json, "aihubmix")
        XCTAssertEqual(rich["added"], 4, "\(rich)")
        let store = try gateway.store()
        var rows = try store.models(alice, providerID: "aihubmix")
        let mini = try XCTUnwrap(rows.first { $0.modelID == "gpt-4o-mini" })
        XCTAssertEqual(mini.inputPrice, 0.15, "per 1M by default: gpt-4o-mini's list price")
        XCTAssertEqual(mini.capabilities, ["vision", "tools", "streaming", "json_mode"])
        XCTAssertEqual(rows.first { $0.modelID == "text-embedding-3-small" }?.modelType, .embedding)

        catalogues.aiHubMixRich.withLock { $0 = nil }
        let plain = try entry(try sync(gateway, token: token).json, "aihubmix")
        XCTAssertNil(plain["error"], "\(plain)")
        XCTAssertEqual(
            [plain["added"], plain["removed"], plain["total"]], [2, 2, 4], "deepseek-r1 and whisper-1 in; the embedding and image models out")
        rows = try store.models(alice, providerID: "aihubmix")
        XCTAssertEqual(rows.first { $0.modelID == "gpt-4o-mini" }?.inputPrice, 0.15, "an id-only list keeps the prices the rich one gave")
        XCTAssertEqual(rows.first { $0.modelID == "deepseek-r1" }?.capabilities, ["streaming", "reasoning"], "name heuristics for id-only rows")

        // A key whose catalogue is priced per 1K tokens.
        let bob = try gateway.token("user-bob")
        _ = try addKey(gateway, "aihubmix", token: bob, settings: #"{"price_unit":"per_1k"}"#)
        catalogues.aiHubMixRich.withLock { $0 = CatalogueFixtures.aiHubMixRich }
        XCTAssertEqual(try sync(gateway, token: bob).status, 200)
        let bobsMini = try store.models(Caller(userID: "user-bob", role: .authenticated), providerID: "aihubmix").first {
            $0.modelID == "gpt-4o-mini" && $0.ownerUserID == "user-bob"
        }
        XCTAssertEqual(bobsMini?.inputPrice, 150)
    }

    func testConcurrentSyncProcessesNeitherDuplicateNorCorrupt() throws {
        let catalogues = Catalogues(openRouter: String(decoding: try CatalogueFixtures.openRouterSnapshot(), as: UTF8.self))
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-concurrent")
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/openrouter/api/v1")
        let token = try gateway.token(alice.userID)
        _ = try addKey(gateway, "openrouter", token: token)
        let added = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let result = try? gateway.invoke("sync-models", "POST", "/", token: token)
            let json = (try? JSONValue.parse(result?.body ?? [])) ?? .null
            added.withLock { $0.append(json["providers"]?[0]?["added"]?.intValue ?? -1) }
        }
        XCTAssertEqual(added.withLock { $0.sorted() }, [0, 0, 0, 220], "the syncs serialise: one adds, the others find nothing new")
        XCTAssertEqual(try gateway.store().models(alice, providerID: "openrouter").count, 220)
    }

    func testTheServiceRoleSyncsTheSharedCatalogueAndUsersCannotActForOthers() throws {
        let catalogues = Catalogues(openRouter: CatalogueFixtures.generatedOpenRouterList(count: 12))
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-service")
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/openrouter/api/v1")
        let service = try gateway.token("system", role: .serviceRole)
        _ = try addKey(gateway, "openrouter", token: service)
        let shared = try sync(gateway, token: service)
        XCTAssertEqual(try entry(shared.json, "openrouter")["scope"], "shared")
        XCTAssertEqual(shared.json["count"], 12)

        let bobToken = try gateway.token("user-bob")
        _ = try addKey(gateway, "openrouter", token: bobToken)
        let bob = Caller(userID: "user-bob", role: .authenticated)
        XCTAssertEqual(try gateway.store().models(bob, providerID: "openrouter").count, 12, "everyone reads the shared rows")
        XCTAssertEqual(try sync(gateway, body: #"{"user_id":"user-bob"}"#, token: try gateway.token(alice.userID)).status, 403)
        let forBob = try sync(gateway, body: #"{"user_id":"user-bob"}"#, token: service)
        XCTAssertEqual(try entry(forBob.json, "openrouter")["scope"], "user")
        XCTAssertEqual(try gateway.store().models(bob, providerID: "openrouter").filter { $0.ownerUserID == "user-bob" }.count, 12)
    }

    func testTheScheduledSyncScriptRunsAsTheServiceRole() throws {
        let catalogues = Catalogues(openRouter: CatalogueFixtures.generatedOpenRouterList(count: 7))
        let upstream = try mock(catalogues)
        let gateway = try GatewayTestEnvironment(label: "sync-scheduled")
        try gateway.setBaseURL("openrouter", upstream.baseURL + "/openrouter/api/v1")
        _ = try addKey(gateway, "openrouter", token: try gateway.token("system", role: .serviceRole))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/scheduled-sync.sh").path
        var environment = gateway.variables
        environment["PATH"] = "/usr/bin:/bin"
        environment["LLM_GATEWAY_BIN"] = URL(fileURLWithPath: BuildProducts.path("local-runner")).deletingLastPathComponent().path
        environment["LLM_GATEWAY_DATA"] = gateway.directory
        let scheduled = CGIInvocation(
            executable: "/bin/sh", arguments: [script], environment: environment, errorLogPath: "\(gateway.directory)/scheduled.log")
        let run = try scheduled.run()
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssertEqual(try JSONValue.parse(run.output)["count"], 7, run.text)
        XCTAssertEqual(try gateway.store().models(alice, providerID: "openrouter").filter { $0.ownerUserID.isEmpty }.count, 7, "the shared catalogue")

        catalogues.openRouter.withLock { $0 = "not json" }
        XCTAssertNotEqual(try scheduled.run().status, 0, "a failed sync fails the job")
    }
}
