/// A function, written once: it runs unchanged under CGI, FastCGI and local-runner.
public protocol RequestHandler: Sendable {
    func handle(_ request: Request, _ writer: ResponseWriter) async throws
}

/// A handler from a closure.
public struct ClosureHandler: RequestHandler {
    let body: @Sendable (Request, ResponseWriter) async throws -> Void

    public init(_ body: @escaping @Sendable (Request, ResponseWriter) async throws -> Void) {
        self.body = body
    }

    public func handle(_ request: Request, _ writer: ResponseWriter) async throws {
        try await body(request, writer)
    }
}
