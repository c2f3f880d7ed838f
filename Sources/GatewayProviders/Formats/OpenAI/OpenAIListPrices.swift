/// OpenAI's list prices: its `/v1/models` carries none.
/// USD per 1M tokens, from the provider's pricing page (checked 2025-11; standard tier, prompts under 200K tokens).
enum OpenAIListPrices {
    static let table: [String: DirectPriceTable.Entry] = [
        "gpt-5-nano": DirectPriceTable.Entry(input: 0.05, output: 0.40, cacheRead: 0.005, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-5-mini": DirectPriceTable.Entry(input: 0.25, output: 2.00, cacheRead: 0.025, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-5": DirectPriceTable.Entry(input: 1.25, output: 10.00, cacheRead: 0.125, contextWindow: 400_000, maxOutputTokens: 128_000),
        "gpt-4.1-nano": DirectPriceTable.Entry(input: 0.10, output: 0.40, cacheRead: 0.025, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4.1-mini": DirectPriceTable.Entry(input: 0.40, output: 1.60, cacheRead: 0.10, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4.1": DirectPriceTable.Entry(input: 2.00, output: 8.00, cacheRead: 0.50, contextWindow: 1_047_576, maxOutputTokens: 32_768),
        "gpt-4o-mini": DirectPriceTable.Entry(input: 0.15, output: 0.60, cacheRead: 0.075, contextWindow: 128_000, maxOutputTokens: 16_384),
        "gpt-4o": DirectPriceTable.Entry(input: 2.50, output: 10.00, cacheRead: 1.25, contextWindow: 128_000, maxOutputTokens: 16_384),
        "gpt-4-turbo": DirectPriceTable.Entry(input: 10.00, output: 30.00, contextWindow: 128_000, maxOutputTokens: 4_096),
        "gpt-3.5-turbo": DirectPriceTable.Entry(input: 0.50, output: 1.50, contextWindow: 16_385, maxOutputTokens: 4_096),
        "o4-mini": DirectPriceTable.Entry(input: 1.10, output: 4.40, cacheRead: 0.275, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o3-mini": DirectPriceTable.Entry(input: 1.10, output: 4.40, cacheRead: 0.55, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o3": DirectPriceTable.Entry(input: 2.00, output: 8.00, cacheRead: 0.50, contextWindow: 200_000, maxOutputTokens: 100_000),
        "o1-mini": DirectPriceTable.Entry(input: 1.10, output: 4.40, cacheRead: 0.55, contextWindow: 128_000, maxOutputTokens: 65_536),
        "o1": DirectPriceTable.Entry(input: 15.00, output: 60.00, cacheRead: 7.50, contextWindow: 200_000, maxOutputTokens: 100_000),
        "text-embedding-3-small": DirectPriceTable.Entry(input: 0.02, output: 0, contextWindow: 8_192),
        "text-embedding-3-large": DirectPriceTable.Entry(input: 0.13, output: 0, contextWindow: 8_192),
    ]
}
