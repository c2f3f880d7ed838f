/// Usage summed over some rows of the rollup: one period, model or provider, or the whole range.
public struct UsageAggregate: Sendable, Equatable {
    public var requests = 0
    public var errors = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var cachedTokens = 0
    public var reasoningTokens = 0
    public var costUSD = 0.0
    public var latencySum = 0
    public var latencyCount = 0
    public var ttftSum = 0
    public var ttftCount = 0
    public var histogram = [Int](repeating: 0, count: LatencyHistogram.bucketCount)

    public init() {}

    public mutating func add(_ other: UsageAggregate) {
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

    public var averageLatencyMs: Double? { latencyCount == 0 ? nil : Double(latencySum) / Double(latencyCount) }
    public var averageTTFTMs: Double? { ttftCount == 0 ? nil : Double(ttftSum) / Double(ttftCount) }
    public var p95LatencyMs: Int? { LatencyHistogram.percentile(0.95, counts: histogram) }
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
}

/// Which rollup rows `usageAggregates` sums, and how it groups them.
public struct UsageStatsFilter: Sendable, Equatable {
    public enum Grouping: Sendable { case total, bucket, model, provider }

    public var scope: UserScope
    /// Aligned to the rollup's 15-minute buckets.
    public var range: TimeRange
    public var providerID: String?
    public var model: String?
    /// Every period boundary the caller will map buckets onto is a whole UTC hour, so hourly buckets suffice.
    public var wholeHours: Bool

    public init(scope: UserScope = .caller, range: TimeRange, providerID: String? = nil, model: String? = nil, wholeHours: Bool = false) {
        self.wholeHours = wholeHours
        self.scope = scope
        self.range = range
        self.providerID = providerID
        self.model = model
    }

    /// The rollup's bucket width: ranges are widened to whole buckets.
    public static let bucketMilliseconds: Int64 = 900_000
}

/// One group of `usageAggregates` (the latency histogram is filled in for `.total` only): a 15-minute bucket start, or a model / provider key.
public struct UsageGroup: Sendable, Equatable {
    public var key: String
    public var bucketStart: Int64
    public var usage: UsageAggregate
}
