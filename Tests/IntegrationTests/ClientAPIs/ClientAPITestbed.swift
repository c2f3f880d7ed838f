import Foundation
import FunctionHost
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// A user whose Anthropic, OpenAI and Google keys all point at `ThreeProviderMock`, with the models
/// the SDK scripts use in the catalogue (with prices), served by local-runner.
final class ClientAPITestbed {
    let bed: ChatTestbed
    let mock: MockUpstream
    let baseURL: String
    let client: HTTPTestClient
    private let runner: ManagedProcess

    /// USD per million tokens: input, output, cache read, cache write.
    static let prices = (input: 2.0, output: 10.0, cacheRead: 0.5, cacheWrite: 2.5)

    init() throws {
        bed = try ChatTestbed()
        mock = try ThreeProviderMock.start()
        try bed.connect("anthropic", to: mock.baseURL + "/anthropic")
        try bed.connect("openai", to: mock.baseURL + "/openai/v1")
        try bed.connect("google", to: mock.baseURL + "/gemini/v1beta")
        let models: [(String, String, ModelType)] = [
            ("anthropic", "claude-sonnet-4-5", .chat), ("anthropic", "claude-ratelimited", .chat), ("anthropic", "claude-overloaded", .chat),
            ("openai", "gpt-4o", .chat), ("openai", "gpt-4o-whole", .chat), ("openai", "gpt-4o-late", .chat), ("openai", "gpt-4o-fails", .chat),
            ("openai", "text-embedding-3-small", .embedding), ("google", "gemini-2.5-flash", .chat),
            ("google", "gemini-embedding-001", .embedding),
        ]
        for (provider, model, type) in models {
            try bed.store.saveModel(
                bed.service,
                CatalogueModel(
                    id: UUID().uuidString, providerID: provider, modelID: model, modelType: type, inputPrice: Self.prices.input,
                    outputPrice: type == .chat ? Self.prices.output : nil, cacheReadPrice: Self.prices.cacheRead,
                    cacheWritePrice: Self.prices.cacheWrite))
        }
        let port = try Socket.freeLoopbackPort()
        runner = try ManagedProcess(
            BuildProducts.path("local-runner"),
            ["serve", "--port", String(port), "--mode", "fastcgi", "--data-dir", "\(bed.gateway.directory)/.data"],
            environment: ProcessInfo.processInfo.environment.merging(bed.gateway.variables) { $1 },
            logPath: "\(bed.gateway.directory)/runner.log")
        try ManagedProcess.waitUntilAccepting(.tcp(host: "127.0.0.1", port: port))
        baseURL = "http://127.0.0.1:\(port)/functions/v1/v1-chat"
        client = HTTPTestClient(port: port)
    }

    /// A POST to v1-chat at `path` with the user's token.
    func post(_ path: String, _ body: String, headers: [String: String] = [:]) throws -> HTTPTestClient.TimedResponse {
        try client.request(
            "POST", "/functions/v1/v1-chat" + path,
            headers: ["Authorization": "Bearer \(bed.token)", "Content-Type": "application/json"].merging(headers) { $1 }, body: Array(body.utf8))
    }

    deinit { runner.stop() }

    /// The catalogue's cost of one request, in USD.
    static func cost(uncached: Int, cacheRead: Int = 0, cacheWrite: Int = 0, completion: Int) -> Double {
        (Double(uncached) * prices.input + Double(cacheRead) * prices.cacheRead + Double(cacheWrite) * prices.cacheWrite
            + Double(completion) * prices.output) / 1_000_000
    }
}
