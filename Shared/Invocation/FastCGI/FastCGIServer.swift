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

    public init(listener: Int32, handler: some RequestHandler, limits: InvocationLimits, logger: Logger) {
        self.listener = listener
        self.handler = handler
        self.limits = limits
        self.logger = logger
    }

    /// Starts accepting on a background thread and returns.
    public func start() {
        ProcessSignals.ignoreBrokenPipe()
        NativeThread.detach { [self] in
            while let fd = Socket.accept(listener) {
                if stopped.withLock({ $0 }) {
                    close(fd)
                    break
                }
                FastCGIConnection(fd: fd, handler: handler, limits: limits, logger: logger, tracker: tracker).start()
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
