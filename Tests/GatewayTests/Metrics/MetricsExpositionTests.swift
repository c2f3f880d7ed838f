import Gateway
import GatewayStore
import Testing

@Suite struct MetricsExpositionTests {
    private func series(status: String = "success", errorType: String = "", latencies: [Int], model: String = "m") -> UsageMetrics.Series {
        var usage = UsageAggregate()
        usage.requests = latencies.count
        usage.errors = status == "success" ? 0 : latencies.count
        usage.promptTokens = 7
        usage.costUSD = 0.5
        usage.latencySum = latencies.reduce(0, +)
        usage.latencyCount = latencies.count
        for latency in latencies { usage.histogram[LatencyHistogram.bucket(forMilliseconds: latency)] += 1 }
        return UsageMetrics.Series(
            function: "v1-chat", api: "chat", providerID: "openai", model: model, status: status, errorType: errorType, usage: usage,
            ttftHistogram: [Int](repeating: 0, count: LatencyHistogram.bucketCount))
    }

    private func lines(_ text: String, _ prefix: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func theDurationHistogramIsCumulativeWithExactBoundsInSeconds() {
        let text = MetricsExposition.render(UsageMetrics(series: [series(latencies: [0, 2, 3, 40, 5000])], inFlight: 0, users: nil))
        let buckets = lines(text, "llm_gateway_request_duration_seconds_bucket")
        // Whole milliseconds: `le="0.002"` counts 0, 1 and 2 ms; 3 ms is in the next bucket up.
        #expect(buckets.contains(#"llm_gateway_request_duration_seconds_bucket{function="v1-chat",api="chat",provider="openai",le="0.002"} 2"#))
        #expect(buckets.contains(#"llm_gateway_request_duration_seconds_bucket{function="v1-chat",api="chat",provider="openai",le="0.006"} 3"#))
        #expect(buckets.contains(#"llm_gateway_request_duration_seconds_bucket{function="v1-chat",api="chat",provider="openai",le="0.062"} 4"#))
        #expect(buckets.last == #"llm_gateway_request_duration_seconds_bucket{function="v1-chat",api="chat",provider="openai",le="+Inf"} 5"#)
        let counts = buckets.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(counts == counts.sorted(), "cumulative")
        #expect(
            lines(text, "llm_gateway_request_duration_seconds_sum") == [
                #"llm_gateway_request_duration_seconds_sum{function="v1-chat",api="chat",provider="openai"} 5.045"#
            ])
    }

    @Test func errorsCarryWhoseFaultTheyWereAndRequestsTheirStatus() {
        let text = MetricsExposition.render(
            UsageMetrics(
                series: [series(latencies: [1]), series(status: "error", errorType: "provider_upstream_timeout", latencies: [9, 9])],
                inFlight: 3, users: nil))
        #expect(
            lines(text, "llm_gateway_errors_total{") == [
                #"llm_gateway_errors_total{function="v1-chat",api="chat",provider="openai",model="m",error_type="provider_upstream_timeout"} 2"#
            ])
        #expect(lines(text, "llm_gateway_requests_total{").count == 2)
        #expect(
            lines(text, "llm_gateway_cost_usd_total{") == [
                #"llm_gateway_cost_usd_total{function="v1-chat",api="chat",provider="openai",model="m"} 1"#
            ])
        #expect(lines(text, "llm_gateway_requests_in_flight") == ["llm_gateway_requests_in_flight 3"])
    }

    @Test func userLabelsAppearOnlyWhenUserTotalsWereRead() {
        let without = MetricsExposition.render(UsageMetrics(series: [series(latencies: [1])], inFlight: 0, users: nil))
        #expect(!without.contains("user"))
        var usage = UsageAggregate()
        usage.requests = 4
        let with = MetricsExposition.render(
            UsageMetrics(series: [], inFlight: 0, users: [UsageMetrics.UserTotals(userID: "u-1", usage: usage)]))
        #expect(lines(with, "llm_gateway_user_requests_total{") == [#"llm_gateway_user_requests_total{user="u-1"} 4"#])
    }
}
