import Foundation
import FunctionRuntime
import Gateway
import GatewayProviders
import GatewayStore
import Synchronization
import TestSupport
import Testing

/// The fallback loop in process, against a scripted upstream: which failures move on to the next
/// candidate, which are answered, and what the usage row says about the attempts.
@Suite struct FallbackLoopTests {
    /// How the first candidate (OpenRouter) fails; AiHubMix, second, answers.
    enum FirstFailure: String, CaseIterable, Sendable {
        case serverError, rateLimited, connectionRefused, firstByteTimeout
    }

    @Test(arguments: FirstFailure.allCases)
    func aRetryableFailureMovesOnToTheNextCandidate(_ failure: FirstFailure) async throws {
        let upstream = ScriptedUpstream { request in
            guard request.url.hasPrefix("http://openrouter.test") else { return .answer(200, Self.completion) }
            switch failure {
            case .serverError: return .answer(500, #"{"error":{"message":"upstream broke"}}"#)
            case .rateLimited: return .answer(429, #"{"error":{"message":"slow down"}}"#)
            case .connectionRefused: return .fail(.connectFailed("Connection refused"))
            case .firstByteTimeout: return .fail(.firstByteTimeout)
            }
        }
        let outcome = try await Testbed().send(upstream: upstream)
        #expect(outcome.status == 200)
        #expect(outcome.body.contains("chatcmpl-scripted"))
        #expect(upstream.hosts == ["openrouter.test", "aihubmix.test"])
        #expect(outcome.usage.providersTried == ["openrouter", "aihubmix"])
        #expect(outcome.usage.attempts == 2)
        #expect(outcome.usage.providerID == "aihubmix")
    }

    @Test func aClientErrorIsAnsweredWithoutTryingAnotherProvider() async throws {
        let upstream = ScriptedUpstream { _ in .answer(400, #"{"error":{"message":"bad tool schema","code":"invalid_request"}}"#) }
        let outcome = try await Testbed().send(upstream: upstream)
        #expect(outcome.status == 400)
        #expect(outcome.body.contains("bad tool schema"))
        #expect(upstream.hosts == ["openrouter.test"])
        #expect(outcome.usage.attempts == 1)
    }

    @Test func whenEveryCandidateFailsTheLastErrorIsAnsweredAndEveryAttemptRecorded() async throws {
        let upstream = ScriptedUpstream { request in
            request.url.hasPrefix("http://openrouter.test") ? .answer(503, #"{"error":{"message":"down"}}"#) : .fail(.firstByteTimeout)
        }
        let outcome = try await Testbed().send(upstream: upstream)
        #expect(outcome.status == 504)
        #expect(outcome.body.contains("upstream_timeout"))
        #expect(upstream.hosts == ["openrouter.test", "aihubmix.test"])
        #expect(outcome.usage.providersTried == ["openrouter", "aihubmix"])
    }

    static let completion = #"""
        {"id":"chatcmpl-scripted","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
        """#
}

/// Alice with OpenRouter and AiHubMix keys (in that priority) that both list model `m`.
struct Testbed {
    let store: SQLStore
    let services: GatewayServices
    let alice = Caller(userID: "user-alice", role: .authenticated)

    init() async throws {
        store = try #require(try StoreBackends.fresh(.sqlite)).store
        let store = self.store
        services = await GatewayServices(
            functionName: "v1-chat",
            environment: ["GATEWAY_JWT_SECRET": String(repeating: "s", count: 40), "GATEWAY_ENCRYPTION_KEY": VaultKey.generate(id: "t").exported],
            logger: .init(label: "test"), openStore: { store })
        let sealer = try services.sealer()
        for (priority, name) in ["openrouter", "aihubmix"].enumerated() {
            var provider = try #require(try store.catalogueProvider(Fixtures.service, id: name))
            provider.baseURL = "http://\(name).test/v1"
            try store.saveCatalogueProvider(Fixtures.service, provider)
            try store.saveModel(Fixtures.service, CatalogueModel(id: "\(name)-m", providerID: name, modelID: "m"))
            let sealed = try sealer.seal("sk-\(name)-key-0123456789", rowID: "\(name)-key", userID: alice.userID)
            try store.insertUserProvider(
                alice,
                UserProvider(
                    id: "\(name)-key", userID: alice.userID, providerID: name, apiKeyEncrypted: sealed.encrypted,
                    apiKeyHash: sealed.hash, apiKeyLast4: sealed.last4, priority: priority))
        }
    }

    struct Outcome {
        var status: Int?
        var body: String
        var usage: UsageRecord
    }

    func send(upstream: some UpstreamTransport, body: String = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#)
        async throws -> Outcome
    {
        var retry = RetryPolicy()
        retry.baseDelayMilliseconds = 1
        retry.maximumDelayMilliseconds = 2
        let handler = ChatCompletionHandler(upstream: upstream, modelRouter: ModelRouter(), settings: ProviderSettings(), retry: retry)
        let usage = RequestUsage(UsageRecord(id: UUID().uuidString, userID: alice.userID, status: .error, createdAt: 0))
        let context = FunctionContext(caller: alice, services: services, usage: usage)
        let capture = CapturedResponse()
        let writer = ResponseWriter(transport: capture)
        do {
            try await handler.handle(
                FunctionRequest(method: "POST", path: "/chat/completions", body: Array(body.utf8)), context: context, writer: writer)
            try writer.finish()
        } catch let error as APIError {
            return Outcome(status: error.status, body: String(decoding: error.jsonBody, as: UTF8.self), usage: usage.record)
        }
        return Outcome(status: writer.status, body: capture.text, usage: usage.record)
    }
}

final class CapturedResponse: ResponseTransport, @unchecked Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func send(_ chunk: [UInt8]) throws { bytes.withLock { $0 += chunk } }
    func finish() throws {}
    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}
