/// How long to wait before the next candidate: exponential backoff with jitter, a `Retry-After`
/// the last upstream sent (when it fits), and a bound on the time all attempts may take.
package struct RetryPolicy: Sendable {
    package var baseDelayMilliseconds = 100
    package var maximumDelayMilliseconds = 2_000
    /// After this long since the request arrived no further candidate is tried.
    package var budgetMilliseconds = 30_000
    /// A `Retry-After` longer than this is not waited for (the next candidate is another provider).
    package var maximumRetryAfterMilliseconds = 5_000

    package init() {}

    package func delayMilliseconds(beforeAttempt attempt: Int, retryAfterSeconds: Double?) -> Int {
        let exponential = min(maximumDelayMilliseconds, baseDelayMilliseconds << min(attempt - 1, 16))
        var delay = Int(Double(exponential) * Double.random(in: 0.5...1.0))
        // An upstream's Retry-After is its text: only a finite, non-negative, bounded number is waited for.
        if let seconds = retryAfterSeconds, seconds.isFinite, seconds >= 0, seconds * 1000 <= Double(maximumRetryAfterMilliseconds) {
            let retryAfter = Int(seconds * 1000)
            delay = max(delay, retryAfter)
        }
        return delay
    }
}
