import FunctionRuntime
import GatewayStore

/// Where a process's store calls run. In a FastCGI worker, on one thread of its own: a request that
/// waits for the database (another process holding SQLite's write lock, a PostgreSQL round trip)
/// suspends instead of holding one of the Swift concurrency pool's threads (two on a two-core machine),
/// which the streams in progress need. A CGI process serves one request: its calls run where they are made.
package final class StoreWork: Sendable {
    private let thread: SerialWorkThread?
    private let open: @Sendable () throws -> any Store

    /// `onOwnThread`: a worker's (true) or a CGI process's (false); `open` gives the store, opened on first use.
    package init(onOwnThread: Bool, open: @escaping @Sendable () throws -> any Store) {
        thread = onOwnThread ? SerialWorkThread() : nil
        self.open = open
    }

    /// Runs `body` with the store, after the store work queued before it.
    package func run<T: Sendable>(_ body: @escaping @Sendable (any Store) throws -> T) async throws -> T {
        guard let thread else { return try body(try open()) }
        return try await thread.run { [open] in try body(try open()) }
    }

    /// The store itself, for a job already on the store's thread (or in a CGI process).
    package func store() throws -> any Store { try open() }

    /// Queues `job` to run on the store's thread (at once, in a CGI process).
    package func enqueue(_ job: @escaping @Sendable () -> Void) {
        guard let thread else { return job() }
        thread.enqueue(job)
    }

    /// Blocks until the work queued so far is done: a worker's last step before it exits.
    package func waitUntilIdle() {
        thread?.waitUntilIdle()
    }
}
