import FunctionRuntime
import GatewayStore

/// How usage figures appear in `usage-stats` answers. Costs are rounded to 1e-9 USD, so sums of
/// binary doubles do not print as `0.30000000000000004`.
enum UsageJSON {
    static func cost(_ value: Double) -> JSONValue { .double((value * 1e9).rounded() / 1e9) }

    static func optional(_ value: Double?) -> JSONValue {
        value.map { .double(($0 * 10).rounded() / 10) } ?? .null
    }

    static func totals(_ usage: UsageAggregate) -> [String: JSONValue] {
        [
            "requests": .int(usage.requests), "errors": .int(usage.errors), "error_rate": .double((usage.errorRate * 10_000).rounded() / 10_000),
            "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
            "cached_tokens": .int(usage.cachedTokens), "reasoning_tokens": .int(usage.reasoningTokens),
            "total_tokens": .int(usage.promptTokens + usage.completionTokens), "cost_usd": cost(usage.costUSD),
            "avg_latency_ms": optional(usage.averageLatencyMs), "p95_latency_ms": usage.p95LatencyMs.map(JSONValue.int) ?? .null,
            "avg_ttft_ms": optional(usage.averageTTFTMs),
        ]
    }

    static func period(_ label: String, _ usage: UsageAggregate) -> JSONValue {
        .object([
            "start": .string(label), "requests": .int(usage.requests), "errors": .int(usage.errors),
            "prompt_tokens": .int(usage.promptTokens), "completion_tokens": .int(usage.completionTokens),
            "cached_tokens": .int(usage.cachedTokens), "reasoning_tokens": .int(usage.reasoningTokens),
            "total_tokens": .int(usage.promptTokens + usage.completionTokens), "cost_usd": cost(usage.costUSD),
            "avg_latency_ms": optional(usage.averageLatencyMs),
        ])
    }

    /// One request's row (`/requests`): what it asked for, who served it, what it used and cost.
    static func record(_ row: UsageRecord, providerName: String?) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func integer(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        return .object([
            "id": .string(row.id), "created_at": .string(ISO8601Milliseconds.format(row.createdAt, offsetSeconds: 0, milliseconds: true)),
            "function": .string(row.function), "api": .string(row.api.rawValue), "provider_id": text(row.providerID),
            "provider": text(providerName ?? row.providerID),
            "model_requested": text(row.modelRequested), "model_served": text(row.modelServed), "status": .string(row.status.rawValue),
            "error_code": text(row.errorCode), "finish_reason": text(row.finishReason),
            "prompt_tokens": .int(row.promptTokens), "completion_tokens": .int(row.completionTokens),
            "cached_tokens": .int(row.cachedTokens), "reasoning_tokens": .int(row.reasoningTokens),
            "total_tokens": .int(row.promptTokens + row.completionTokens),
            "cost_usd": row.costUSD.map(cost) ?? .null, "cost_source": text(row.costSource?.rawValue),
            "latency_ms": integer(row.latencyMs), "ttft_ms": integer(row.ttftMs), "attempts": .int(row.attempts),
            "providers_tried": .array(row.providersTried.map(JSONValue.string)),
        ])
    }
}
