/// What `/metrics` exposes, read at scrape time (`Store.usageMetrics`): every series' counters since
/// the database began, the requests in flight now, and (only when configured) each user's chat totals.
package struct UsageMetrics: Sendable, Equatable {
    /// One combination of labels and its counters.
    package struct Series: Sendable, Equatable {
        package var function: String
        package var api: String
        package var providerID: String
        package var model: String
        package var status: String
        /// `UsageFault.errorType`: '' for successes.
        package var errorType: String
        /// Sums: requests, token kinds, cost, latency and time-to-first-token sums and counts.
        package var usage: UsageAggregate
        /// Time-to-first-token counts in `LatencyHistogram`'s buckets (`usage.histogram` holds latency's).
        package var ttftHistogram: [Int]

        package init(
            function: String, api: String, providerID: String, model: String, status: String, errorType: String,
            usage: UsageAggregate, ttftHistogram: [Int]
        ) {
            self.function = function
            self.api = api
            self.providerID = providerID
            self.model = model
            self.status = status
            self.errorType = errorType
            self.usage = usage
            self.ttftHistogram = ttftHistogram
        }
    }

    /// One user's chat usage (from the hourly rollup): requests, errors, token kinds, cost.
    package struct UserTotals: Sendable, Equatable {
        package var userID: String
        package var usage: UsageAggregate

        package init(userID: String, usage: UsageAggregate) {
            self.userID = userID
            self.usage = usage
        }
    }

    package var series: [Series]
    package var inFlight: Int
    /// nil unless asked for.
    package var users: [UserTotals]?

    package init(series: [Series], inFlight: Int, users: [UserTotals]?) {
        self.series = series
        self.inFlight = inFlight
        self.users = users
    }
}
