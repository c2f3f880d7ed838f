import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a handler for one request under any contract: maps thrown errors to
/// OpenAI-style JSON responses and logs one line per request.
public enum Invocation {
    public static func serve(
        _ request: FunctionRequest,
        with handler: some RequestHandler,
        writer: ResponseWriter,
        logger: Logger
    ) async {
        let started = MonotonicClock.nanoseconds()
        do {
            try await handler.handle(request, writer)
            try writer.finish()
        } catch let error as APIError {
            respond(with: error, writer: writer, logger: logger)
        } catch is ClientDisconnected {
            logger.info("client disconnected", metadata: ["path": "\(request.path)"])
        } catch is CancellationError {
            logger.info("request cancelled", metadata: ["path": "\(request.path)"])
        } catch {
            // The error's text may quote a request: it goes to the log with anything key-shaped
            // masked, and never into the response.
            logger.error("handler failed", metadata: ["path": "\(request.path)", "error": "\(CredentialRedaction.describe(error))"])
            respond(with: .internalError, writer: writer, logger: logger)
        }
        try? writer.finish()
        let elapsed = Double(MonotonicClock.nanoseconds() - started) / 1_000_000
        let status = writer.isClientGone && !writer.isFinished ? 499 : (writer.status ?? 0)
        logger.info("\(request.method) \(request.path) \(status) \(elapsed.formatted(decimals: 1))ms")
    }

    static func respond(with error: APIError, writer: ResponseWriter, logger: Logger) {
        guard !writer.headSent else {
            // Mid-stream: the status is gone; the handler owns in-band error reporting.
            logger.warning("error after response head was sent", metadata: ["code": "\(error.code ?? error.type)"])
            return
        }
        try? writer.respond(error: error)
    }
}

package enum MonotonicClock {
    package static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension Double {
    func formatted(decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let rounded = (self * factor).rounded() / factor
        return "\(rounded)"
    }
}
