/// Gemini's list prices (context windows come from the API itself).
/// USD per 1M tokens, from the provider's pricing page (checked 2025-11; standard tier, prompts under 200K tokens).
enum GeminiListPrices {
    static let table: [String: DirectPriceTable.Entry] = [
        "gemini-2.5-pro": DirectPriceTable.Entry(input: 1.25, output: 10.00, cacheRead: 0.31),
        "gemini-2.5-flash-lite": DirectPriceTable.Entry(input: 0.10, output: 0.40, cacheRead: 0.025),
        "gemini-2.5-flash": DirectPriceTable.Entry(input: 0.30, output: 2.50, cacheRead: 0.075),
        "gemini-2.0-flash-lite": DirectPriceTable.Entry(input: 0.075, output: 0.30),
        "gemini-2.0-flash": DirectPriceTable.Entry(input: 0.10, output: 0.40, cacheRead: 0.025),
        "gemini-1.5-pro": DirectPriceTable.Entry(input: 1.25, output: 5.00),
        "gemini-1.5-flash": DirectPriceTable.Entry(input: 0.075, output: 0.30),
    ]
}
