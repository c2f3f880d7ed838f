import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Counts requests in flight so that a stopping worker can let them finish.
public final class RequestTracker: Sendable {
    private let count = Mutex(0)

    public init() {}

    public var inFlight: Int { count.withLock { $0 } }

    func begin() { count.withLock { $0 += 1 } }
    func end() { count.withLock { $0 -= 1 } }

    /// Waits until no request is in flight or the deadline passes; true when drained.
    public func waitUntilIdle(timeoutSeconds: Double) -> Bool {
        let deadline = MonotonicClock.nanoseconds() + UInt64(timeoutSeconds * 1e9)
        while inFlight > 0 {
            if MonotonicClock.nanoseconds() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }
}
