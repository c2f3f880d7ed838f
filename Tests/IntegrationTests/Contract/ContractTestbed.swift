import Foundation
import FunctionRuntime
import GatewayStore
import TestSupport
import XCTest

/// local-runner (FastCGI workers, SQLite) for a user with a key for every provider of the catalogue, all
/// pointing at `ContractUpstream`, and the models the spec's examples name in the catalogue; keys
/// schemathesis adds are checked there too.
final class ContractTestbed {
    let bed: ChatTestbed
    let upstream: MockUpstream
    let client: HTTPTestClient
    /// A service-role token, for the operations only the service role may call (the catalogue, metrics).
    let serviceToken: String
    /// Keys of the user's that schemathesis works on by id: one it reads, changes and tests, one it removes.
    let keyID: String
    let disposableKeyID: String

    var runnerURL: String { "http://127.0.0.1:\(client.port)" }

    init() throws {
        // Whatever URL a generated request makes the gateway call, only loopback is reached: libcurl sends every
        // other host to a proxy on a closed loopback port, which refuses at once (and resolves no name).
        let deadProxy = "http://127.0.0.1:\(try Socket.freeLoopbackPort())"
        bed = try ChatTestbed(
            .fastcgi,
            extraEnvironment: [
                "GATEWAY_SYNC_TIMEOUT_MS": "5000", "GATEWAY_UPSTREAM_FIRST_BYTE_TIMEOUT_MS": "5000",
                "all_proxy": deadProxy, "https_proxy": deadProxy, "http_proxy": deadProxy, "no_proxy": "127.0.0.1,localhost",
            ])
        upstream = try ContractUpstream.start()
        for provider in ["openai", "anthropic", "google"] {
            try bed.connect(provider, to: upstream.baseURL + ContractUpstream.basePaths[provider]!)
        }
        for provider in ["openrouter", "aihubmix"] {
            try bed.connect(provider, to: upstream.baseURL + ContractUpstream.basePaths[provider]!, priority: 10)
        }
        let models: [(String, String, ModelType)] = [
            ("openai", "gpt-4o-mini", .chat), ("openai", "text-embedding-3-small", .embedding),
            ("anthropic", "claude-sonnet-4-5", .chat), ("google", "gemini-2.5-flash", .chat),
        ]
        for (provider, model, type) in models {
            try bed.store.saveModel(
                bed.service,
                CatalogueModel(
                    id: UUID().uuidString, providerID: provider, modelID: model, modelType: type, inputPrice: 0.15,
                    outputPrice: type == .chat ? 0.6 : nil))
        }
        let keys = try bed.store.userProviders(bed.user)
        keyID = try XCTUnwrap(keys.first { $0.providerID == "openrouter" }?.id)
        disposableKeyID = try XCTUnwrap(keys.first { $0.providerID == "aihubmix" }?.id)
        serviceToken = try bed.gateway.token("contract-admin", role: .serviceRole)
        client = try bed.runnerClient()
    }
}
