/// Usage summed over some rows of the rollup: one period, model or provider, or the whole range.
package struct UsageAggregate: Sendable, Equatable {
    package var requests = 0
    package var errors = 0
    package var promptTokens = 0
    package var completionTokens = 0
    package var cachedTokens = 0
    package var reasoningTokens = 0
    package var costUSD = 0.0
    package var latencySum = 0
    package var latencyCount = 0
    package var ttftSum = 0
    package var ttftCount = 0
    package var histogram = [Int](repeating: 0, count: LatencyHistogram.bucketCount)

    package init() {}

    package mutating func add(_ other: UsageAggregate) {
        requests += other.requests
        errors += other.errors
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        cachedTokens += other.cachedTokens
        reasoningTokens += other.reasoningTokens
        costUSD += other.costUSD
        latencySum += other.latencySum
        latencyCount += other.latencyCount
        ttftSum += other.ttftSum
        ttftCount += other.ttftCount
        for index in histogram.indices { histogram[index] += other.histogram[index] }
    }

    package var averageLatencyMs: Double? { latencyCount == 0 ? nil : Double(latencySum) / Double(latencyCount) }
    package var averageTTFTMs: Double? { ttftCount == 0 ? nil : Double(ttftSum) / Double(ttftCount) }
    package var p95LatencyMs: Int? { LatencyHistogram.percentile(0.95, counts: histogram) }
    package var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
}

/// Which rollup rows `usageAggregates` sums, and how it groups them.
package struct UsageStatsFilter: Sendable, Equatable {
    package enum Grouping: Sendable { case total, bucket, model, provider, api }

    package var scope: UserScope
    /// Aligned to the rollup's 15-minute buckets.
    package var range: TimeRange
    package var providerID: String?
    package var model: String?
    /// Only requests that came in by this client API.
    package var api: ClientAPI?
    /// Every period boundary the caller will map buckets onto is a whole UTC hour, so hourly buckets suffice.
    package var wholeHours: Bool

    package init(
        scope: UserScope = .caller, range: TimeRange, providerID: String? = nil, model: String? = nil, api: ClientAPI? = nil,
        wholeHours: Bool = false
    ) {
        self.wholeHours = wholeHours
        self.api = api
        self.scope = scope
        self.range = range
        self.providerID = providerID
        self.model = model
    }

    /// The rollup's bucket width: ranges are widened to whole buckets.
    package static let bucketMilliseconds: Int64 = 900_000
}

/// One group of `usageAggregates` (the latency histogram is filled in for `.total` only): a 15-minute bucket start, or a model / provider key.
package struct UsageGroup: Sendable, Equatable {
    package var key: String
    package var bucketStart: Int64
    package var usage: UsageAggregate
}
