/// A function, written once: it runs unchanged under CGI, FastCGI and local-runner.
public protocol RequestHandler: Sendable {
    func handle(_ request: FunctionRequest, _ writer: ResponseWriter) async throws

    /// A request the contract refused before `handle` (a body over the limit, an unreadable body):
    /// the handler answers `error` (and may record it; gateway functions leave a usage row).
    func reject(_ request: FunctionRequest, with error: APIError, _ writer: ResponseWriter) async

    /// Called once after the last request, before the process exits (a FastCGI worker told to stop,
    /// once drained; a CGI process once answered): work the handler deferred must be done now.
    func shutdown() async
}

extension RequestHandler {
    public func reject(_ request: FunctionRequest, with error: APIError, _ writer: ResponseWriter) async {
        try? writer.respond(error: error)
    }

    public func shutdown() async {}
}

/// A handler from a closure.
public struct ClosureHandler: RequestHandler {
    let body: @Sendable (FunctionRequest, ResponseWriter) async throws -> Void

    public init(_ body: @escaping @Sendable (FunctionRequest, ResponseWriter) async throws -> Void) {
        self.body = body
    }

    public func handle(_ request: FunctionRequest, _ writer: ResponseWriter) async throws {
        try await body(request, writer)
    }
}
