import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// How a function executable was started.
public enum InvocationMode: Equatable, Sendable {
    /// One request from the environment and stdin.
    case cgi
    /// A FastCGI responder on an inherited listening descriptor (fd 0 from spawn-fcgi, fd 3 from systemd).
    case fastCGIInherited(fd: Int32)
    /// A FastCGI responder on a socket of its own (`--fastcgi PATH|HOST:PORT`).
    case fastCGIListen(SocketAddress)

    public static func detect(arguments: [String], environment: [String: String]) throws -> InvocationMode {
        if let index = arguments.firstIndex(of: "--fastcgi") {
            guard index + 1 < arguments.count, let address = SocketAddress(parsing: arguments[index + 1]) else {
                throw UsageError(message: "--fastcgi takes a Unix socket path or HOST:PORT")
            }
            return .fastCGIListen(address)
        }
        // systemd socket activation: LISTEN_FDS=1 for this very process, descriptor 3.
        if environment["LISTEN_FDS"] == "1", environment["LISTEN_PID"].flatMap(Int32.init) == getpid(), Socket.isListening(3) {
            return .fastCGIInherited(fd: 3)
        }
        if Socket.isListening(0) { return .fastCGIInherited(fd: 0) }
        return .cgi
    }
}

public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The whole of a function's `main`: detect the contract, then serve through it.
public enum FunctionProcess {
    /// Seconds a stopping FastCGI worker waits for requests in flight.
    static let drainSeconds = 30.0

    /// Main-actor isolated (like the `main.swift` that calls it) so that it starts on the main thread, before
    /// the concurrency pool's first thread exists: a CGI process's memory tuning must come first.
    @MainActor
    public static func main(name: String, handler: some RequestHandler) async -> Never {
        await main(name: name) { _, _ in handler }
    }

    /// - Parameter makeHandler: builds the handler once per process, after logging is set up.
    @MainActor
    public static func main<Handler: RequestHandler>(
        name: String, makeHandler: ([String: String], Logger) async -> Handler
    ) async -> Never {
        let environment = ProcessEnvironment.current
        let arguments = CommandLine.arguments
        if arguments.contains("--help") || arguments.contains("-h") {
            print(
                """
                \(name): an LLM gateway function.
                  (no arguments)           serve one request through CGI/1.1 (environment + stdin -> stdout)
                  --fastcgi PATH|HOST:PORT  serve as a FastCGI responder on that socket
                Also a FastCGI responder when fd 0 is a listening socket (spawn-fcgi) or under systemd socket activation.
                """)
            exit(0)
        }
        let mode: InvocationMode
        do {
            mode = try InvocationMode.detect(arguments: arguments, environment: environment)
        } catch {
            _ = try? FileDescriptorIO.writeAll(2, Array("\(name): \(error)\n".utf8))
            exit(64)
        }
        if mode == .cgi { ProcessMemory.useOneArena() }
        FunctionLogging.bootstrap(environment: environment)
        var logger = Logger(label: "gateway.\(name)")
        logger[metadataKey: "function"] = "\(name)"
        let limits = InvocationLimits.fromEnvironment(environment)
        // Long-lived workers can afford background work (the store's WAL checkpoints, for one).
        var handlerEnvironment = environment
        handlerEnvironment["GATEWAY_PERSISTENT_PROCESS"] = mode == .cgi ? "0" : "1"
        let handler = await makeHandler(handlerEnvironment, logger)

        switch mode {
        case .cgi:
            // lighttpd sends SIGTERM once the answer is complete, Apache once the client has gone:
            // the process still writes its usage row, and a client that left shows as a broken pipe.
            signal(SIGTERM, SIG_IGN)
            await CGIRunner.run(handler, environment: environment, logger: logger)
            await handler.shutdown()
            exit(0)
        case .fastCGIInherited(let fd):
            await serveFastCGI(listener: fd, handler: handler, limits: limits, logger: logger, description: "inherited fd \(fd)")
        case .fastCGIListen(let address):
            do {
                let fd = try Socket.listen(on: address)
                await serveFastCGI(listener: fd, handler: handler, limits: limits, logger: logger, description: address.description)
            } catch {
                logger.critical("cannot listen", metadata: ["address": "\(address)", "error": "\(error)"])
                exit(71)
            }
        }
    }

    private static func serveFastCGI(
        listener: Int32, handler: some RequestHandler, limits: InvocationLimits, logger: Logger, description: String
    ) async -> Never {
        let server = FastCGIServer(listener: listener, handler: handler, limits: limits, logger: logger)
        server.start()
        logger.info("FastCGI responder ready", metadata: ["listen": "\(description)", "pid": "\(getpid())"])
        let signal = await ShutdownSignal.wait()
        logger.info("stopping: draining requests in flight", metadata: ["signal": "\(signal)", "in_flight": "\(server.tracker.inFlight)"])
        server.stop()
        let drained = server.tracker.waitUntilIdle(timeoutSeconds: drainSeconds)
        if !drained {
            logger.warning("requests still in flight at exit", metadata: ["in_flight": "\(server.tracker.inFlight)"])
        }
        await handler.shutdown()
        exit(0)
    }
}
