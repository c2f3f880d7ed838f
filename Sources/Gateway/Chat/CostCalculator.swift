import GatewayProviders
import GatewayStore

/// What a request cost: the provider's own figure first (OpenRouter `usage.cost`), else the
/// catalogue's prices (USD per 1M tokens):
/// (prompt - cached - cache writes) x input + cached x cache read + cache writes x cache write
/// + completion (reasoning included) x output + the per-request price.
package enum CostCalculator {
    package static func cost(_ usage: TokenUsage, model: CatalogueModel?) -> (usd: Double, source: CostSource)? {
        if let reported = usage.reportedCost { return (reported, .provider) }
        // Embedding models have no output price, and need none: nothing is generated.
        guard usage.reported, let model, let input = model.inputPrice,
            let output = model.outputPrice ?? (usage.completionTokens == 0 ? 0 : nil)
        else { return nil }
        let uncached = max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens)
        var total = Double(uncached) * input
        total += Double(usage.cachedTokens) * (model.cacheReadPrice ?? input)
        total += Double(usage.cacheWriteTokens) * (model.cacheWritePrice ?? input)
        total += Double(usage.completionTokens) * output
        return (total / 1_000_000 + (model.requestPrice ?? 0), .catalogue)
    }
}
