import Logging

/// Serves exactly one request through the CGI contract.
public enum CGIRunner {
    public static func run(
        _ handler: some RequestHandler,
        environment: [String: String],
        input: Int32 = 0,
        output: Int32 = 1,
        logger: Logger
    ) async {
        ProcessSignals.ignoreBrokenPipe()
        let writer = ResponseWriter(transport: FileDescriptorTransport(fd: output))
        let limits = InvocationLimits.fromEnvironment(environment)
        let request: FunctionRequest
        do {
            request = try CGIRequestReader.read(environment: environment, input: input, limits: limits)
        } catch {
            let httpError =
                error as? APIError
                ?? APIError.badRequest("The request body could not be read.", code: "unreadable_body")
            logger.info("rejected request", metadata: ["status": "\(httpError.status)", "code": "\(httpError.code ?? "")"])
            await handler.reject(CGIEnvironment.makeRequest(environment, body: []), with: httpError, writer)
            try? writer.finish()
            if httpError.status == 413 { drainRefusedBody(input, limits: limits) }
            return
        }
        await Invocation.serve(request, with: handler, writer: writer, logger: logger)
    }

    /// A server still writing a refused body when the process exits sees a broken pipe, and answers
    /// 502 (fcgiwrap) or drops the connection (Apache) instead of passing the 413 on. Once the answer
    /// is written, the rest is read and dropped, bounded in size and time: past either, the server's
    /// own limit should have refused the body.
    private static func drainRefusedBody(_ input: Int32, limits: InvocationLimits) {
        FileDescriptorIO.discard(input, maximum: max(limits.maxBodyBytes, 1 << 20) * 4, seconds: 10)
    }
}
