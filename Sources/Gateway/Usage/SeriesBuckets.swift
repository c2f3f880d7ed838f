import GatewayStore

/// The periods of a usage series in the caller's time zone: local hours, days (23 or 25 hours long
/// around a DST change) or ISO weeks (Monday first), as UTC instants.
package enum Granularity: String, Sendable, CaseIterable {
    case hour, day, week
}

package struct SeriesBuckets: Sendable, Equatable {
    /// Bucket starts, then the end of the last bucket: `count + 1` instants, ascending.
    package var edges: [Int64]
    package var zone: TimeZoneRules

    package var range: TimeRange { TimeRange(start: edges.first ?? 0, end: edges.last ?? 0) }
    package var count: Int { max(0, edges.count - 1) }

    /// Buckets covering `[start, end)`, the first starting at the period that contains `start`.
    /// Returns nil when there would be more than `limit` of them.
    package init?(start: Int64, end: Int64, granularity: Granularity, zone: TimeZoneRules, limit: Int) {
        self.zone = zone
        let hour: Int64 = 3_600_000, day: Int64 = 86_400_000
        let localStart = start + zone.offset(atUTC: start) * 1000
        var edges: [Int64] = []
        switch granularity {
        case .hour:
            // Whole UTC hours from the local hour's start: DST moves whole hours, so each stays a local hour.
            var edge = zone.utc(fromLocal: Self.floor(localStart, hour))
            if edge > start { edge -= hour }
            while edge < end {
                edges.append(edge)
                guard edges.count <= limit else { return nil }
                edge += hour
            }
            edges.append(edge)
        case .day, .week:
            var localDay = Self.floor(localStart, day)
            if granularity == .week {
                let days = localDay / day
                let weekday = ((days + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday; Monday = 0
                localDay -= weekday * day
            }
            let step = granularity == .week ? 7 * day : day
            var edge = zone.utc(fromLocal: localDay)
            while edge < end {
                edges.append(edge)
                guard edges.count <= limit else { return nil }
                localDay += step
                edge = zone.utc(fromLocal: localDay)
            }
            edges.append(edge)
        }
        self.edges = edges
    }

    /// Which bucket `instant` falls in, if any.
    package func index(of instant: Int64) -> Int? {
        guard let first = edges.first, let last = edges.last, instant >= first, instant < last else { return nil }
        var low = 0, high = edges.count - 1
        while low + 1 < high {
            let mid = (low + high) / 2
            if edges[mid] <= instant { low = mid } else { high = mid }
        }
        return low
    }

    /// A bucket's start as local ISO 8601 with its offset.
    package func label(_ index: Int) -> String {
        ISO8601Milliseconds.format(edges[index], offsetSeconds: zone.offset(atUTC: edges[index]))
    }

    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        (value >= 0 ? value / unit : (value - unit + 1) / unit) * unit
    }
}
