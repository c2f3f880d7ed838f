import Foundation
import FunctionRuntime
import Gateway
import GatewayStore
import TestSupport
import XCTest

/// A user with provider keys pointing at mock upstreams, and v1-chat run as a CGI process or,
/// in `.fastcgi` mode, as a FastCGI worker behind local-runner.
final class ChatTestbed {
    enum Mode: String, CaseIterable { case cgi, fastcgi }
    let mode: Mode
    private var runner: ManagedProcess?
    private var client: HTTPTestClient?

    static let apiKey = "sk-test-gateway-NEVER-LOGGED-chat-0123456789abcdef"
    let gateway: GatewayTestEnvironment
    /// The test's own connection; `closeStore` lets it go (a volume cannot be remounted read-only while a file on it is open for writing).
    private(set) var store: SQLStore!
    let user = Caller(userID: "user-chat", role: .authenticated)
    let service = Caller(userID: "service", role: .serviceRole)
    let token: String
    var logPath: String { "\(gateway.directory)/v1-chat.log" }

    init(_ mode: Mode = .cgi, extraEnvironment: [String: String] = [:], databaseURL: String? = nil) throws {
        self.mode = mode
        gateway = try GatewayTestEnvironment(label: "chat", databaseURL: databaseURL)
        store = try gateway.store()
        token = try gateway.token(user.userID)
        self.extraEnvironment = extraEnvironment
    }

    var extraEnvironment: [String: String]

    /// Points the catalogue entry at `base` and stores the user's key for it.
    func connect(_ provider: String, to base: String, priority: Int = 0) throws {
        var entry = try XCTUnwrap(try store.catalogueProvider(service, id: provider))
        entry.baseURL = base
        try store.saveCatalogueProvider(service, entry)
        let sealer = ProviderKeySealer(vault: try Vault(environment: gateway.variables))
        let id = UUID().uuidString
        let sealed = try sealer.seal(Self.apiKey, rowID: id, userID: user.userID)
        try store.insertUserProvider(
            user,
            UserProvider(
                id: id, userID: user.userID, providerID: provider, apiKeyEncrypted: sealed.encrypted,
                apiKeyHash: sealed.hash + provider, apiKeyLast4: sealed.last4, priority: priority))
    }

    func listModel(_ model: String, on provider: String, input: Double? = nil, output: Double? = nil, cacheRead: Double? = nil) throws {
        try store.saveModel(
            service,
            CatalogueModel(
                id: UUID().uuidString, providerID: provider, modelID: model,
                inputPrice: input, outputPrice: output, cacheReadPrice: cacheRead))
    }

    deinit { runner?.stop() }

    /// Stops local-runner and its workers now (before the test takes away what they use).
    func stopRunner() { runner?.stop() }

    func closeStore() { store = nil }

    func reopenStore() throws { store = try gateway.store() }

    /// A bed whose user's OpenAI key points at a mock that answers `ok`, or streams `chunks` chunks 100 ms apart.
    static func connectedToOpenAIMock(_ mode: Mode, databaseURL: String? = nil, chunks: Int) throws -> (ChatTestbed, MockUpstream) {
        let bed = try ChatTestbed(mode, databaseURL: databaseURL)
        let mock = try MockUpstream { request in
            request.json?["stream"]?.boolValue == true
                ? .stream(
                    events: ProviderWire.openAIStream(Array(repeating: "x", count: chunks), model: "gpt-4o-mini", prompt: 5, completion: chunks),
                    delayMs: 100)
                : .json(status: 200, body: ProviderWire.openAICompletion("ok", model: "gpt-4o-mini", prompt: 5, completion: 2))
        }
        try bed.connect("openai", to: mock.baseURL + "/v1")
        try bed.listModel("gpt-4o-mini", on: "openai")
        return (bed, mock)
    }

    func chat(_ body: String, token: String? = nil, path: String = "/v1/chat/completions") throws -> CGIInvocation.Result {
        if mode == .fastcgi { return try chatThroughRunner(body, token: token ?? self.token, path: path) }
        return try CGIInvocation(
            executable: BuildProducts.path("v1-chat"), environment: cgiEnvironment(body, token: token ?? self.token, path: path),
            body: Array(body.utf8), errorLogPath: logPath
        ).run()
    }

    /// The environment v1-chat runs with under CGI for one chat request.
    func cgiEnvironment(_ body: String, token: String, path: String) -> [String: String] {
        Self.cgiEnvironment(base: gateway.variables.merging(extraEnvironment) { $1 }, body, token: token, path: path)
    }

    static func cgiEnvironment(base: [String: String], _ body: String, token: String, path: String) -> [String: String] {
        var variables = base
        variables["GATEWAY_LOG_LEVEL"] = "info"
        variables["REQUEST_METHOD"] = "POST"
        variables["PATH_INFO"] = path
        variables["CONTENT_TYPE"] = "application/json"
        variables["CONTENT_LENGTH"] = String(body.utf8.count)
        variables["HTTP_AUTHORIZATION"] = "Bearer \(token)"
        return variables
    }

    /// The same request through local-runner's FastCGI worker; the HTTP answer is turned back into
    /// CGI output (`Status:` head, headers, body) so that tests read both the same way.
    /// local-runner (started on first use) in `.fastcgi` mode, for tests that send requests of their own.
    func runnerClient() throws -> HTTPTestClient {
        if client == nil { _ = try? chatThroughRunner("{}", token: token, path: "/v1/models") }
        return try XCTUnwrap(client)
    }

    /// local-runner in `.fastcgi` mode, started on first use without a request (so without a row) of its own.
    @discardableResult
    func startRunner() throws -> HTTPTestClient {
        if client == nil {
            let port = try Socket.freeLoopbackPort()
            var environment = ProcessInfo.processInfo.environment.merging(gateway.variables) { $1 }
            environment.merge(extraEnvironment) { $1 }
            environment["GATEWAY_LOG_LEVEL"] = "info"
            runner = try ManagedProcess(
                BuildProducts.path("local-runner"),
                ["serve", "--port", String(port), "--mode", "fastcgi", "--data-dir", "\(gateway.directory)/.data"],
                environment: environment, logPath: logPath)
            try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
            client = HTTPTestClient(port: port)
        }
        return client!
    }

    private func chatThroughRunner(_ body: String, token: String, path: String) throws -> CGIInvocation.Result {
        let response = try startRunner().request(
            "POST", "/functions/v1/v1-chat" + path,
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: Array(body.utf8))
        var head = "Status: \(response.status) X\r\n"
        for (name, value) in response.headers where !["transfer-encoding", "connection", "date", "content-length"].contains(name) {
            head += "\(Self.canonical(name)): \(value)\r\n"
        }
        let output = Array((head + "\r\n").utf8) + response.body
        return CGIInvocation.Result(status: 0, output: output)
    }

    private static func canonical(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }

    /// The pid of local-runner's `function` worker now (`.fastcgi` mode, once started).
    func workerPID(_ function: String = "v1-chat") -> pid_t? {
        guard let runner = runner?.child.pid else { return nil }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            let name = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            if name == function, fields.count > 1, pid_t(fields[1]) == runner { return pid }
        }
        return nil
    }

    func rows() throws -> [UsageRecord] { try store.usage(user, UsageFilter(limit: 100_000)) }

    /// The rows once there are `count` of them: a FastCGI worker (or a CGI process behind
    /// local-runner) writes its row just after the client has the answer.
    func rows(waitingFor count: Int, seconds: Double = 5) throws -> [UsageRecord] {
        let deadline = Date().addingTimeInterval(seconds)
        var rows = try self.rows()
        while rows.count < count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            rows = try self.rows()
        }
        return rows
    }

    static func request(_ model: String, stream: Bool = false, includeUsage: Bool = false) -> String {
        let options = includeUsage ? #","stream_options":{"include_usage":true}"# : ""
        return
            #"{"model":"\#(model)","stream":\#(stream)\#(options),"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}"#
    }

    /// SSE `data:` payloads of a CGI response body.
    static func events(_ result: CGIInvocation.Result) -> [String] {
        String(decoding: result.body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
            block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
        }
    }

    static func content(ofStream events: [String]) -> String {
        events.compactMap { try? JSONValue.parse($0) }.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
    }
}
