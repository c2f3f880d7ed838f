/// List prices for the direct providers, which publish none in their model lists. USD per 1M tokens,
/// from the providers' pricing pages (checked 2025-11; standard tier, prompts under 200K tokens).
/// Matched by the longest id prefix, so dated snapshots (`gpt-4o-2024-08-06`) inherit their family's price.
/// A user with a negotiated rate sets an override through the `models` function.
public struct DirectPriceTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var input: Double
        public var output: Double
        public var cacheRead: Double?
        public var cacheWrite: Double?
        public var contextWindow: Int?
        public var maxOutputTokens: Int?
    }

    let entries: [String: Entry]
    private let prefixes: [String]

    public init(_ entries: [String: Entry] = DirectPriceTable.published) {
        self.entries = entries
        self.prefixes = entries.keys.sorted { $0.count > $1.count }
    }

    public func price(for modelID: String) -> Entry? {
        let name = ModelClassifier.bareName(modelID)
        return prefixes.first(where: name.hasPrefix).flatMap { entries[$0] }
    }

    public static let published: [String: Entry] = [
        // OpenAI
        "gpt-5-nano": Entry(input: 0.05, output: 0.40, cacheRead: 0.005, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-5-mini": Entry(input: 0.25, output: 2.00, cacheRead: 0.025, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-5": Entry(input: 1.25, output: 10.00, cacheRead: 0.125, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-4.1-nano": Entry(input: 0.10, output: 0.40, cacheRead: 0.025, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4.1-mini": Entry(input: 0.40, output: 1.60, cacheRead: 0.10, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4.1": Entry(input: 2.00, output: 8.00, cacheRead: 0.50, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4o-mini": Entry(input: 0.15, output: 0.60, cacheRead: 0.075, contextWindow: 128_000, maxOutputTokens: 16_384),
        "gpt-4o": Entry(input: 2.50, output: 10.00, cacheRead: 1.25, contextWindow: 128_000, maxOutputTokens: 16_384),
        "gpt-4-turbo": Entry(input: 10.00, output: 30.00, contextWindow: 128_000, maxOutputTokens: 4_096),
        "gpt-3.5-turbo": Entry(input: 0.50, output: 1.50, contextWindow: 16_385, maxOutputTokens: 4_096),
        "o4-mini": Entry(input: 1.10, output: 4.40, cacheRead: 0.275, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o3-mini": Entry(input: 1.10, output: 4.40, cacheRead: 0.55, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o3": Entry(input: 2.00, output: 8.00, cacheRead: 0.50, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o1-mini": Entry(input: 1.10, output: 4.40, cacheRead: 0.55, contextWindow: 128_000, maxOutputTokens: 65_536),
        "o1": Entry(input: 15.00, output: 60.00, cacheRead: 7.50, contextWindow: 200_000, maxOutputTokens: 100_000),
        "text-embedding-3-small": Entry(input: 0.02, output: 0, contextWindow: 8_192),
        "text-embedding-3-large": Entry(input: 0.13, output: 0, contextWindow: 8_192),
        // Anthropic (cache writes at the 5-minute rate)
        "claude-opus-4-5": Entry(input: 5.00, output: 25.00, cacheRead: 0.50, cacheWrite: 6.25, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-opus-4": Entry(input: 15.00, output: 75.00, cacheRead: 1.50, cacheWrite: 18.75, contextWindow: 200_000, maxOutputTokens: 32_000),
        "claude-sonnet-4": Entry(input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-haiku-4-5": Entry(input: 1.00, output: 5.00, cacheRead: 0.10, cacheWrite: 1.25, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-3-7-sonnet": Entry(input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-3-5-sonnet": Entry(input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 8_192),
        "claude-3-5-haiku": Entry(input: 0.80, output: 4.00, cacheRead: 0.08, cacheWrite: 1.00, contextWindow: 200_000, maxOutputTokens: 8_192),
        "claude-3-opus": Entry(input: 15.00, output: 75.00, cacheRead: 1.50, cacheWrite: 18.75, contextWindow: 200_000, maxOutputTokens: 4_096),
        "claude-3-haiku": Entry(input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.30, contextWindow: 200_000, maxOutputTokens: 4_096),
        // Google Gemini (context windows come from the API itself)
        "gemini-2.5-pro": Entry(input: 1.25, output: 10.00, cacheRead: 0.31),
        "gemini-2.5-flash-lite": Entry(input: 0.10, output: 0.40, cacheRead: 0.025),
        "gemini-2.5-flash": Entry(input: 0.30, output: 2.50, cacheRead: 0.075),
        "gemini-2.0-flash-lite": Entry(input: 0.075, output: 0.30),
        "gemini-2.0-flash": Entry(input: 0.10, output: 0.40, cacheRead: 0.025),
        "gemini-1.5-pro": Entry(input: 1.25, output: 5.00),
        "gemini-1.5-flash": Entry(input: 0.075, output: 0.30),
    ]
}
