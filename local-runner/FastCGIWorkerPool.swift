import Foundation
import FunctionHost
import FunctionRuntime
import Logging
import Synchronization

/// One FastCGI worker process per function, each on a Unix socket under the data folder. A worker
/// that dies (a crash, a kill) is started again, with a backoff that grows while it keeps dying,
/// so that one bad request cannot leave a function answering 502 until local-runner restarts.
/// (In production, systemd's `Restart=always` does the same: see deploy/systemd/.)
final class FastCGIWorkerPool: Sendable {
    let addresses: [String: SocketAddress]
    private let catalog: FunctionCatalog
    private let environment: [String: String]
    private let logger: Logger
    private let running = Mutex<[String: ChildProcess]>([:])
    private let stopping = Mutex(false)

    /// Backoff between restarts: doubling from `firstDelay` to `maximumDelay`, reset once a worker stayed up `stableSeconds`.
    static let firstDelaySeconds = 0.1
    static let maximumDelaySeconds = 5.0
    static let stableSeconds = 30.0

    private init(catalog: FunctionCatalog, environment: [String: String], runDirectory: String, logger: Logger) {
        self.catalog = catalog
        self.environment = environment
        self.logger = logger
        addresses = Dictionary(uniqueKeysWithValues: catalog.names.map { ($0, SocketAddress.unix(path: "\(runDirectory)/\($0).sock")) })
    }

    static func start(catalog: FunctionCatalog, environment: [String: String], runDirectory: String, logger: Logger) throws -> FastCGIWorkerPool {
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        let pool = FastCGIWorkerPool(catalog: catalog, environment: environment, runDirectory: runDirectory, logger: logger)
        for name in catalog.names.sorted() { try pool.spawn(name) }
        for (name, address) in pool.addresses {
            guard waitUntilAccepting(address, seconds: 10) else {
                pool.stop()
                throw FunctionOutput.MalformedOutput(description: "the \(name) FastCGI worker did not start listening on \(address)")
            }
        }
        for name in catalog.names { pool.supervise(name) }
        return pool
    }

    /// The worker serving `function` now (a restarted one has a new pid).
    func worker(_ function: String) -> ChildProcess? { running.withLock { $0[function] } }

    /// Stops every worker, lets none restart, and returns once they have exited (they drain first).
    func stop() {
        stopping.withLock { $0 = true }
        let workers = running.withLock { Array($0.values) }
        for worker in workers { worker.terminate() }
        let deadline = MonotonicClock.nanoseconds() + 35_000_000_000
        while running.withLock({ !$0.isEmpty }), MonotonicClock.nanoseconds() < deadline { usleep(10_000) }
    }

    private func spawn(_ name: String) throws {
        guard let address = addresses[name] else { return }
        let process = try ChildProcess.spawn(
            executable: catalog.executablePath(name), arguments: ["--fastcgi", address.description],
            environment: environment, stdio: .inherit)
        running.withLock { $0[name] = process }
    }

    /// Waits for the worker on a thread of its own and starts it again when it exits unasked.
    private func supervise(_ name: String) {
        NativeThread.detach { [self] in
            var delay = Self.firstDelaySeconds
            while let worker = worker(name) {
                let started = MonotonicClock.nanoseconds()
                let status = worker.wait()
                if stopping.withLock({ $0 }) {
                    running.withLock { $0[name] = nil }
                    return
                }
                let upSeconds = Double(MonotonicClock.nanoseconds() - started) / 1e9
                if upSeconds >= Self.stableSeconds { delay = Self.firstDelaySeconds }
                logger.error(
                    "FastCGI worker exited; restarting it",
                    metadata: [
                        "function": "\(name)", "pid": "\(worker.pid)", "status": "\(status)", "restart_in_ms": "\(Int(delay * 1000))",
                    ])
                usleep(useconds_t(delay * 1_000_000))
                delay = min(delay * 2, Self.maximumDelaySeconds)
                if stopping.withLock({ $0 }) {
                    running.withLock { $0[name] = nil }
                    return
                }
                do {
                    try spawn(name)
                } catch {
                    logger.error("FastCGI worker could not be restarted", metadata: ["function": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    static func waitUntilAccepting(_ address: SocketAddress, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let fd = try? Socket.connect(to: address) {
                close(fd)
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
