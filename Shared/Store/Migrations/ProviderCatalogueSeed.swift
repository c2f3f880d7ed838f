/// The providers the gateway knows out of the box, with their real base URLs.
/// Only a service-role caller may change a base URL later: it decides where stored keys are sent.
public struct SeedProvider: Sendable {
    public var name: String
    public var displayName: String
    public var providerType: String
    public var apiStandard: String
    public var baseURL: String
    public var documentationURL: String

    public static let all: [SeedProvider] = [
        SeedProvider(
            name: "aihubmix", displayName: "AiHubMix", providerType: "aggregator", apiStandard: "openai",
            baseURL: "https://aihubmix.com/v1", documentationURL: "https://doc.aihubmix.com"),
        SeedProvider(
            name: "openrouter", displayName: "OpenRouter", providerType: "aggregator", apiStandard: "openai",
            baseURL: "https://openrouter.ai/api/v1", documentationURL: "https://openrouter.ai/docs"),
        SeedProvider(
            name: "openai", displayName: "OpenAI", providerType: "direct", apiStandard: "openai",
            baseURL: "https://api.openai.com/v1", documentationURL: "https://platform.openai.com/docs"),
        SeedProvider(
            name: "anthropic", displayName: "Anthropic", providerType: "direct", apiStandard: "anthropic",
            baseURL: "https://api.anthropic.com", documentationURL: "https://docs.anthropic.com"),
        SeedProvider(
            name: "google", displayName: "Google Gemini", providerType: "direct", apiStandard: "gemini",
            baseURL: "https://generativelanguage.googleapis.com/v1beta", documentationURL: "https://ai.google.dev/gemini-api/docs"),
    ]

    /// `INSERT` statements; ids are the names, stable across backends.
    static func insertStatements() -> String {
        all.map { provider in
            "INSERT INTO api_providers (id, name, display_name, provider_type, api_standard, base_url, documentation_url) VALUES ("
                + [
                    provider.name, provider.name, provider.displayName, provider.providerType, provider.apiStandard,
                    provider.baseURL, provider.documentationURL,
                ].map { "'\($0)'" }.joined(separator: ", ") + ");"
        }.joined(separator: "\n")
    }
}
