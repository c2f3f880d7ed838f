import FunctionRuntime

/// A task executor on one OS thread outside the Swift concurrency pool, so that async work a blocked
/// pool thread waits for can still run (`blockingAsync`). Default actors the work calls run here too.
package final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    package static let shared = DedicatedThreadExecutor()

    private let thread = SerialWorkThread()

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        thread.enqueue { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
