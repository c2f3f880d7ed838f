#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// OS threads for blocking work, kept once started: a job runs at once on an idle thread, or on a new one
/// when none is idle (never queued behind a job that may block for minutes, such as a stream's transfer).
/// Starting a thread per upstream transfer was 3 % of a FastCGI worker's CPU (clone, stack maps).
/// Past `maximumIdle` parked threads, a thread that finishes a job exits instead of waiting.
package final class ThreadPool: @unchecked Sendable {
    package let maximumIdle: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [@Sendable () -> Void] = []
    private var idle = 0

    package init(maximumIdle: Int) {
        self.maximumIdle = maximumIdle
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        wake.deallocate()
    }

    /// Threads parked now, waiting for a job.
    package var idleThreads: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return idle
    }

    package func run(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        // Each parked thread takes one job: start a thread unless enough are parked for every job waiting.
        let parkedEnough = idle >= jobs.count
        if parkedEnough { pthread_cond_signal(wake) }
        pthread_mutex_unlock(mutex)
        if !parkedEnough { NativeThread.detach { [self] in work() } }
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty {
                guard idle < maximumIdle else {
                    pthread_mutex_unlock(mutex)
                    return
                }
                idle += 1
                pthread_cond_wait(wake, mutex)
                idle -= 1
            }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }
}
