/// Latency counts in buckets √2 wide (two per power of two, 0 ms to about 17 minutes), kept in the
/// usage rollup so p95 over any range is a sum of bucket counts, not a sort of raw rows.
/// Bucket `i` holds latencies with `2^(i/2) <= ms + 1 < 2^((i+1)/2)`; a percentile is reported as the
/// upper bound of the bucket it falls in, so it overstates by at most a factor of √2 (about 41 %).
package enum LatencyHistogram {
    package static let bucketCount = 40

    /// Exclusive upper bound (ms) of each bucket.
    package static let upperBounds: [Double] = (0..<bucketCount).map { index in
        // 2^((i+1)/2), exact at whole powers of two.
        let whole = Double(1 << ((index + 1) / 2))
        let value = (index + 1) % 2 == 0 ? whole : whole * 1.4142135623730951
        return (value - 1).rounded(.up)
    }

    package static func bucket(forMilliseconds ms: Int) -> Int {
        let value = Double(max(0, ms))
        return upperBounds.firstIndex { value < $0 } ?? bucketCount - 1
    }

    /// The `fraction` percentile (0.95) of the counted latencies, in ms; `nil` with no latencies.
    package static func percentile(_ fraction: Double, counts: [Int]) -> Int? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = Int((Double(total) * fraction).rounded(.up))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Int(upperBounds[index]) }
        }
        return Int(upperBounds[bucketCount - 1])
    }

    /// `h0, h1, ... h39`
    static let columns = (0..<bucketCount).map { "h\($0)" }

    /// SQL that yields the bucket of `latency_ms` (for building the rollup from raw rows).
    static var bucketExpression: String { bucketExpression("latency_ms") }

    /// SQL that yields the bucket of the milliseconds in `column`.
    static func bucketExpression(_ column: String) -> String {
        "CASE " + upperBounds.enumerated().dropLast().map { "WHEN \(column) < \(Int($0.element)) THEN \($0.offset)" }.joined(separator: " ")
            + " ELSE \(bucketCount - 1) END"
    }
}
