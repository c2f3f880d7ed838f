/// How usage figures appear in `usage-stats` answers. Costs are rounded to 1e-9 USD, so sums of
/// binary doubles do not print as `0.30000000000000004`.
enum UsageJSON {
    static func cost(_ value: Double) -> JSONValue { .double((value * 1e9).rounded() / 1e9) }

    static func optional(_ value: Double?) -> JSONValue {
        value.map { .double(($0 * 10).rounded() / 10) } ?? .null
    }

    static func totals(_ usage: UsageAggregate) -> [String: JSONValue] {
        ["requests": .int(usage.requests), "errors": .int(usage.errors), "error_rate": .double((usage.errorRate * 10_000).rounded() / 10_000),
         "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
         "cached_tokens": .int(usage.cachedTokens), "reasoning_tokens": .int(usage.reasoningTokens),
         "total_tokens": .int(usage.promptTokens + usage.completionTokens), "cost_usd": cost(usage.costUSD),
         "avg_latency_ms": optional(usage.averageLatencyMs), "p95_latency_ms": usage.p95LatencyMs.map(JSONValue.int) ?? .null,
         "avg_ttft_ms": optional(usage.averageTTFTMs)]
    }

    static func period(_ label: String, _ usage: UsageAggregate) -> JSONValue {
        .object(["start": .string(label), "requests": .int(usage.requests), "errors": .int(usage.errors),
                 "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
                 "cached_tokens": .int(usage.cachedTokens), "reasoning_tokens": .int(usage.reasoningTokens),
                 "total_tokens": .int(usage.promptTokens + usage.completionTokens), "cost_usd": cost(usage.costUSD),
                 "avg_latency_ms": optional(usage.averageLatencyMs)])
    }
}
