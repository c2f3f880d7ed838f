import Foundation
import Shared
import TestSupport
import XCTest

/// A user with provider keys pointing at mock upstreams, and v1-chat run as a CGI process.
final class ChatTestbed {
    static let apiKey = "sk-test-gateway-NEVER-LOGGED-chat-0123456789abcdef"
    let gateway: GatewayTestEnvironment
    let store: SQLStore
    let user = Caller(userID: "user-chat", role: .authenticated)
    let service = Caller(userID: "service", role: .serviceRole)
    let token: String
    var logPath: String { "\(gateway.directory)/v1-chat.log" }

    init(extraEnvironment: [String: String] = [:]) throws {
        gateway = try GatewayTestEnvironment(label: "chat")
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
        try store.insertUserProvider(user, UserProvider(id: id, userID: user.userID, providerID: provider, apiKeyEncrypted: sealed.encrypted,
                                                        apiKeyHash: sealed.hash + provider, apiKeyLast4: sealed.last4, priority: priority))
    }

    func listModel(_ model: String, on provider: String, input: Double? = nil, output: Double? = nil, cacheRead: Double? = nil) throws {
        try store.saveModel(service, CatalogueModel(id: UUID().uuidString, providerID: provider, modelID: model,
                                                    inputPrice: input, outputPrice: output, cacheReadPrice: cacheRead))
    }

    func chat(_ body: String, token: String? = nil, path: String = "/v1/chat/completions") throws -> CGIInvocation.Result {
        var variables = gateway.variables.merging(extraEnvironment) { $1 }
        variables["GATEWAY_LOG_LEVEL"] = "info"
        variables["REQUEST_METHOD"] = "POST"
        variables["PATH_INFO"] = path
        variables["CONTENT_TYPE"] = "application/json"
        variables["CONTENT_LENGTH"] = String(body.utf8.count)
        variables["HTTP_AUTHORIZATION"] = "Bearer \(token ?? self.token)"
        return try CGIInvocation(executable: BuildProducts.path("v1-chat"), environment: variables,
                                 body: Array(body.utf8), errorLogPath: logPath).run()
    }

    func rows() throws -> [UsageRecord] { try store.usage(user, UsageFilter()) }

    static func request(_ model: String, stream: Bool = false, includeUsage: Bool = false) -> String {
        let options = includeUsage ? #","stream_options":{"include_usage":true}"# : ""
        return #"{"model":"\#(model)","stream":\#(stream)\#(options),"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}"#
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
