#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One OS thread that runs blocking jobs in the order they were queued (a database connection's calls).
/// An async caller suspends until its job is done instead of blocking one of the Swift concurrency
/// pool's threads (two on a two-core machine), which the requests in progress need to go on.
package final class SerialWorkThread: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let idle = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [@Sendable () -> Void] = []
    private var busy = false

    /// Starts the thread; it lives as long as the process (the object is never freed while it runs).
    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(idle, nil)
        NativeThread.detach { [self] in work() }
    }

    /// Queues `job` and returns at once.
    package func enqueue(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body` on the thread, after the jobs queued before it; the caller suspends meanwhile.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Blocks until every job queued so far (and any they queued) has run.
    package func waitUntilIdle() {
        pthread_mutex_lock(mutex)
        while busy || !jobs.isEmpty { pthread_cond_wait(idle, mutex) }
        pthread_mutex_unlock(mutex)
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty {
                busy = false
                pthread_cond_broadcast(idle)
                pthread_cond_wait(wake, mutex)
            }
            busy = true
            let job = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }
}
