/// Anthropic's list prices (cache writes at the 5-minute rate): its `/v1/models` carries none.
/// USD per 1M tokens, from the provider's pricing page (checked 2025-11; standard tier, prompts under 200K tokens).
enum AnthropicListPrices {
    static let table: [String: DirectPriceTable.Entry] = [
        "claude-opus-4-5": DirectPriceTable.Entry(
            input: 5.00, output: 25.00, cacheRead: 0.50, cacheWrite: 6.25, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-opus-4": DirectPriceTable.Entry(
            input: 15.00, output: 75.00, cacheRead: 1.50, cacheWrite: 18.75, contextWindow: 200_000, maxOutputTokens: 32_000),
        "claude-sonnet-4": DirectPriceTable.Entry(
            input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-haiku-4-5": DirectPriceTable.Entry(
            input: 1.00, output: 5.00, cacheRead: 0.10, cacheWrite: 1.25, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-3-7-sonnet": DirectPriceTable.Entry(
            input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 64_000),
        "claude-3-5-sonnet": DirectPriceTable.Entry(
            input: 3.00, output: 15.00, cacheRead: 0.30, cacheWrite: 3.75, contextWindow: 200_000, maxOutputTokens: 8_192),
        "claude-3-5-haiku": DirectPriceTable.Entry(
            input: 0.80, output: 4.00, cacheRead: 0.08, cacheWrite: 1.00, contextWindow: 200_000, maxOutputTokens: 8_192),
        "claude-3-opus": DirectPriceTable.Entry(
            input: 15.00, output: 75.00, cacheRead: 1.50, cacheWrite: 18.75, contextWindow: 200_000, maxOutputTokens: 4_096),
        "claude-3-haiku": DirectPriceTable.Entry(
            input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.30, contextWindow: 200_000, maxOutputTokens: 4_096),
    ]
}
