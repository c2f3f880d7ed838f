import GatewayStore

/// The gateway's metrics, in Prometheus' text format, from what the store summed (`UsageMetrics`).
/// Labels are bounded: function, client API, provider, model (only where a provider was asked), status,
/// and whose fault an error was (`UsageFault`); user ids only where the operator asked for them.
package enum MetricsExposition {
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Latency buckets exposed: every second bucket of `LatencyHistogram` (powers of two in ms), the
    /// last one being `+Inf`. Latencies are whole milliseconds, so `le` is exact: bucket `i` holds
    /// `ms < upperBounds[i]`, i.e. `ms <= upperBounds[i] - 1`.
    static let exposedBuckets = Array(stride(from: 3, to: LatencyHistogram.bucketCount - 1, by: 2))

    package static func render(_ metrics: UsageMetrics) -> String {
        var out = PrometheusText()
        let series = metrics.series

        out.family("llm_gateway_requests_total", .counter, help: "Requests that reached a function, by how they ended.")
        for (labels, usage) in summed(series, by: { [$0.function, $0.api, $0.providerID, $0.model, $0.status] }) {
            out.sample(
                "llm_gateway_requests_total", zip(["function", "api", "provider", "model", "status"], labels).map { $0 }, Double(usage.requests))
        }

        out.family(
            "llm_gateway_errors_total", .counter,
            help: "Requests that did not succeed, by whose fault: caller_*, policy_* (budgets and limits), provider_*, gateway_*.")
        for (labels, usage) in summed(series.filter { $0.status != "success" }, by: { [$0.function, $0.api, $0.providerID, $0.model, $0.errorType] })
        {
            out.sample(
                "llm_gateway_errors_total", zip(["function", "api", "provider", "model", "error_type"], labels).map { $0 }, Double(usage.requests))
        }

        let byModel = summed(series, by: { [$0.function, $0.api, $0.providerID, $0.model] })
        let modelLabels = ["function", "api", "provider", "model"]
        out.family("llm_gateway_tokens_total", .counter, help: "Tokens the providers reported, by kind.")
        for (labels, usage) in byModel {
            for (kind, count) in tokens(usage) {
                out.sample("llm_gateway_tokens_total", zip(modelLabels, labels).map { $0 } + [("kind", kind)], Double(count))
            }
        }
        out.family(
            "llm_gateway_cost_usd_total", .counter, help: "Cost of the requests in US dollars, as the gateway computed or the provider reported it.")
        for (labels, usage) in byModel {
            out.sample("llm_gateway_cost_usd_total", zip(modelLabels, labels).map { $0 }, usage.costUSD)
        }

        let byProvider = ["function", "api", "provider"]
        out.family("llm_gateway_request_duration_seconds", .histogram, help: "Time from a request's arrival to its last byte.")
        for (labels, usage) in summed(series, by: { [$0.function, $0.api, $0.providerID] }) where usage.latencyCount > 0 {
            histogram(&out, "llm_gateway_request_duration_seconds", zip(byProvider, labels).map { $0 }, usage.histogram, sumMs: usage.latencySum)
        }
        out.family("llm_gateway_time_to_first_token_seconds", .histogram, help: "Time from a streamed request's arrival to its first token.")
        for (labels, ttft) in summedTTFT(series) where ttft.count > 0 {
            histogram(&out, "llm_gateway_time_to_first_token_seconds", zip(byProvider, labels).map { $0 }, ttft.buckets, sumMs: ttft.sumMs)
        }

        out.family("llm_gateway_requests_in_flight", .gauge, help: "Requests being served now, by every process that shares the database.")
        out.sample("llm_gateway_requests_in_flight", [], Double(metrics.inFlight))

        if let users = metrics.users {
            out.family("llm_gateway_user_requests_total", .counter, help: "Chat requests of each user.")
            for user in users { out.sample("llm_gateway_user_requests_total", [("user", user.userID)], Double(user.usage.requests)) }
            out.family("llm_gateway_user_errors_total", .counter, help: "Chat requests of each user that did not succeed.")
            for user in users { out.sample("llm_gateway_user_errors_total", [("user", user.userID)], Double(user.usage.errors)) }
            out.family("llm_gateway_user_tokens_total", .counter, help: "Tokens of each user's chat requests, by kind.")
            for user in users {
                for (kind, count) in tokens(user.usage) {
                    out.sample("llm_gateway_user_tokens_total", [("user", user.userID), ("kind", kind)], Double(count))
                }
            }
            out.family("llm_gateway_user_cost_usd_total", .counter, help: "Cost of each user's chat requests in US dollars.")
            for user in users { out.sample("llm_gateway_user_cost_usd_total", [("user", user.userID)], user.usage.costUSD) }
        }
        return out.text
    }

    private static func tokens(_ usage: UsageAggregate) -> [(String, Int)] {
        [
            ("prompt", usage.promptTokens), ("completion", usage.completionTokens), ("cached", usage.cachedTokens),
            ("reasoning", usage.reasoningTokens),
        ]
    }

    /// Cumulative buckets, then `_sum` and `_count`, from counts in `LatencyHistogram`'s buckets.
    private static func histogram(_ out: inout PrometheusText, _ name: String, _ labels: [(String, String)], _ counts: [Int], sumMs: Int) {
        var cumulative = 0
        var next = 0
        for index in exposedBuckets {
            while next <= index {
                cumulative += counts[next]
                next += 1
            }
            out.sample(
                "\(name)_bucket", labels + [("le", PrometheusText.number((LatencyHistogram.upperBounds[index] - 1) / 1000))], Double(cumulative))
        }
        let total = counts.reduce(0, +)
        out.sample("\(name)_bucket", labels + [("le", "+Inf")], Double(total))
        out.sample("\(name)_sum", labels, Double(sumMs) / 1000)
        out.sample("\(name)_count", labels, Double(total))
    }

    /// The series summed over the labels `key` leaves out, in a stable order.
    private static func summed(_ series: [UsageMetrics.Series], by key: (UsageMetrics.Series) -> [String]) -> [([String], UsageAggregate)] {
        var sums: [[String]: UsageAggregate] = [:]
        for one in series { sums[key(one), default: UsageAggregate()].add(one.usage) }
        return sums.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }

    private static func summedTTFT(_ series: [UsageMetrics.Series]) -> [([String], (buckets: [Int], sumMs: Int, count: Int))] {
        var sums: [[String]: (buckets: [Int], sumMs: Int, count: Int)] = [:]
        for one in series {
            let key = [one.function, one.api, one.providerID]
            var sum = sums[key] ?? (buckets: [Int](repeating: 0, count: LatencyHistogram.bucketCount), sumMs: 0, count: 0)
            for index in sum.buckets.indices { sum.buckets[index] += one.ttftHistogram[index] }
            sum.sumMs += one.usage.ttftSum
            sum.count += one.usage.ttftCount
            sums[key] = sum
        }
        return sums.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }
}
