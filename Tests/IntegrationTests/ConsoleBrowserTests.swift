import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import TestSupport
import XCTest

/// The web console in a real browser (Debian's chromium, headless, driven by selenium through
/// chromium-driver) against local-runner serving the real functions, with a mock OpenRouter
/// upstream. The steps and their assertions are in Console/console_browser_check.py.
final class ConsoleBrowserTests: XCTestCase {
    static let validKey = "sk-or-v1-console-NEVER-LOGGED-0123456789abcdef"
    static let refusedKey = "sk-or-v1-refused-NEVER-LOGGED-5555666677778888"
    static let refusal = "User not found."
    static let chatModel = "openai/gpt-4o-mini"
    static let pieces = ["Hello", " from", " the", " mock", " upstream", "."]
    static let xssName = "<img src=x onerror=alert(1)>"

    func testTheConsoleDoesEveryEverydayTaskInARealBrowser() throws {
        let browser = try BrowserRun()
        let gateway = try GatewayTestEnvironment(label: "console")
        let catalogue = try Self.catalogueWithHostileName()
        let mock = try MockUpstream { request in
            let key = request.headers["authorization"] ?? ""
            if key.contains(Self.refusedKey) {
                return .json(status: 401, body: #"{"error":{"message":"\#(Self.refusal)","code":401}}"#)
            }
            if request.method == "GET", request.path.hasSuffix("/models") { return .json(status: 200, body: catalogue.json) }
            return .stream(
                events: ProviderWire.openAIStream(Self.pieces, model: Self.chatModel, prompt: 11, completion: 7, cost: 0.0000123),
                delayMs: 150)
        }
        try gateway.setBaseURL("openrouter", mock.baseURL + "/api/v1")

        let port = try Socket.freeLoopbackPort()
        let console = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../console").standardizedFileURL.path
        let runner = try ManagedProcess(
            BuildProducts.path("local-runner"),
            ["serve", "--port", String(port), "--mode", "cgi", "--data-dir", "\(gateway.directory)/.data", "--console-dir", console],
            environment: ProcessInfo.processInfo.environment.merging(gateway.variables) { $1 },
            logPath: "\(gateway.directory)/runner.log")
        defer { runner.stop() }
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))

        let user = "console-user-0001"
        let screenshots = BrowserRun.artifacts("console-screenshots-\(GatewayTestEnvironment.backend)")
        let downloads = "\(gateway.directory)/downloads"
        try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        let run = try browser.run(
            [
                "CONSOLE_URL": "http://127.0.0.1:\(port)/", "USER_ID": user,
                "USER_TOKEN": try gateway.token(user), "SERVICE_TOKEN": try gateway.token("console-admin", role: .serviceRole),
                "VALID_KEY": Self.validKey, "REFUSED_KEY": Self.refusedKey, "REFUSAL_REASON": Self.refusal,
                "CATALOGUE_SIZE": String(catalogue.count), "CHAT_MODEL": Self.chatModel, "STREAM_TEXT": Self.pieces.joined(),
                "PROMPT_TOKENS": "11", "COMPLETION_TOKENS": "7", "XSS_NAME": Self.xssName,
                "SCREENSHOT_DIR": screenshots, "DOWNLOAD_DIR": downloads, "PROFILE_DIR": "\(gateway.directory)/chromium-profile",
            ], log: "\(gateway.directory)/browser.log")
        XCTAssertEqual(run.status, 0, "the browser run failed:\n\(run.output)")
        print(
            String(
                format: "figure: console browser run (%@): %.1f s; screenshots in %@", "\(GatewayTestEnvironment.backend)", run.seconds, screenshots))
        print(run.output.split(separator: "\n").filter { $0.hasPrefix("ok:") }.joined(separator: "\n"))

        // What the page did is what the store holds: the alias, the budget, the streamed chat, no unrouted call.
        let store = try gateway.store()
        let caller = Caller(userID: user, role: .authenticated)
        XCTAssertEqual(try store.alias(caller, named: "fast")?.modelID, Self.chatModel)
        XCTAssertEqual(try store.budgets(caller, scope: .caller).first?.monthlyBudgetUSD, 5)
        let rows = try store.usage(Caller(userID: "test-admin", role: .serviceRole), UsageFilter(scope: .allUsers, limit: 100_000))
        XCTAssertEqual(rows.filter { $0.function == "v1-chat" && $0.userID == user }.map(\.status), [.success], "one streamed playground request")
        XCTAssertEqual(
            rows.filter { $0.errorCode == "route_not_found" }.map { "\($0.function) \($0.errorCode ?? "")" }, [],
            "the console called a route no function serves")
        XCTAssertGreaterThan(rows.filter { $0.userID == user }.count, 20, "every call the console made left its usage row")
    }

    /// The real OpenRouter snapshot plus one model whose name is markup.
    static func catalogueWithHostileName() throws -> (json: String, count: Int) {
        guard case .object(var root) = try JSONValue.parse(Array(try CatalogueFixtures.openRouterSnapshot())),
            case .array(var models)? = root["data"]
        else { throw TestFailure("the OpenRouter snapshot is not a model list") }
        models.append([
            "id": "evil/onerror-model", "name": .string(xssName), "created": 1_730_000_000, "context_length": 8192,
            "architecture": ["modality": "text->text", "input_modalities": ["text"], "output_modalities": ["text"]],
            "pricing": ["prompt": "0.000001", "completion": "0.000002", "request": "0"],
            "top_provider": ["context_length": 8192, "max_completion_tokens": 1024, "is_moderated": false],
            "supported_parameters": ["max_tokens"],
        ])
        root["data"] = .array(models)
        return (String(decoding: JSONValue.object(root).serialized(), as: UTF8.self), models.count)
    }
}
