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
            return
        }
        await Invocation.serve(request, with: handler, writer: writer, logger: logger)
    }
}
