import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A FastCGI 1.0 responder: accepts connections on a listening socket and serves
/// them concurrently, each on its own reader thread.
public final class FastCGIServer: Sendable {
    private let listener: Int32
    private let handler: any RequestHandler
    private let limits: InvocationLimits
    private let logger: Logger
    public let tracker = RequestTracker()
    private let stopped = Mutex(false)
    /// Connections open now; past `maxConnections` a new one is closed at once (what GET_VALUES
    /// advertises as FCGI_MAX_CONNS): each holds a thread and up to a request's body.
    private let connections = Mutex(0)
    public static let maxConnections = 1024

    public init(listener: Int32, handler: some RequestHandler, limits: InvocationLimits, logger: Logger) {
        self.listener = listener
        self.handler = handler
        self.limits = limits
        self.logger = logger
    }

    /// Starts accepting on a background thread and returns.
    public func start() {
        ProcessSignals.ignoreBrokenPipe()
        MemoryRelease.keepLargeBuffersReturnable()
        NativeThread.detach { [self] in
            var lastRefusalLog: UInt64 = 0
            while let fd = Socket.accept(listener) {
                if stopped.withLock({ $0 }) {
                    close(fd)
                    break
                }
                let admitted = connections.withLock { count -> Bool in
                    guard count < Self.maxConnections else { return false }
                    count += 1
                    return true
                }
                guard admitted else {
                    close(fd)
                    let now = MonotonicClock.nanoseconds()
                    if now - lastRefusalLog > 10_000_000_000 {
                        lastRefusalLog = now
                        logger.warning("FastCGI connection refused: too many open", metadata: ["limit": "\(Self.maxConnections)"])
                    }
                    continue
                }
                FastCGIConnection(fd: fd, handler: handler, limits: limits, logger: logger, tracker: tracker) { [self] in
                    self.connections.withLock { $0 -= 1 }
                }.start()
            }
        }
        // Freed memory goes back to the system: a burst of large requests must not leave the worker big.
        NativeThread.detach { [self] in
            while !stopped.withLock({ $0 }) {
                sleep(10)
                MemoryRelease.returnFreeMemory()
            }
        }
    }

    /// Stops accepting new connections; requests in flight go on.
    public func stop() {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }
}
