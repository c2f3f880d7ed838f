/// Method + path-pattern dispatch for a function's routes. Patterns are literal segments
/// and `{name}` placeholders: `/{id}/test`, `/aliases/{alias}`. `Context` is what every route
/// receives besides the request (the caller and services for gateway functions; nothing for probes).
public struct RouteTable<Context: Sendable>: Sendable {
    public struct Parameters: Sendable {
        var values: [String: String] = [:]
        public subscript(name: String) -> String? { values[name] }
    }

    public typealias RouteHandler = @Sendable (FunctionRequest, Parameters, Context, ResponseWriter) async throws -> Void

    private struct Route: Sendable {
        var method: String
        var segments: [Substring]
        var handler: RouteHandler
    }

    private var routes: [Route] = []

    public init() {}

    public mutating func on(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method.uppercased(), segments: RoutePattern.segments(pattern), handler: handler))
    }

    public func route(_ request: FunctionRequest, context: Context, _ writer: ResponseWriter) async throws {
        let path = RoutePattern.segments(request.path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.match(route.segments, path) else { continue }
            if let long = parameters.values.first(where: { $0.value.utf8.count > Self.maxParameterBytes }) {
                throw APIError.badRequest("The path segment '{\(long.key)}' is longer than \(Self.maxParameterBytes) bytes.", code: "invalid_path")
            }
            if route.method == request.method {
                try await route.handler(request, parameters, context, writer)
                return
            }
            allowed.append(route.method)
        }
        if allowed.isEmpty {
            throw APIError.notFound("No route for \(request.method) \(request.path.prefix(200)).", code: "route_not_found")
        }
        throw APIError.methodNotAllowed(request.method, allowed: allowed)
    }

    /// Each route's method and pattern (`/{id}/test`), in the order they were added: what a contract test
    /// compares with the API's description.
    package var patterns: [(method: String, pattern: String)] {
        routes.map { route in (route.method, "/" + route.segments.joined(separator: "/")) }
    }

    /// Path parameters are ids and names: longer ones are refused before any handler (or query) sees them.
    public static var maxParameterBytes: Int { 256 }

    static func match(_ pattern: [Substring], _ path: [Substring]) -> Parameters? {
        guard pattern.count == path.count else { return nil }
        var parameters = Parameters()
        for (expected, actual) in zip(pattern, path) {
            if expected.hasPrefix("{") && expected.hasSuffix("}") {
                parameters.values[String(expected.dropFirst().dropLast())] = PercentDecoding.decode(String(actual))
            } else if expected != actual {
                return nil
            }
        }
        return parameters
    }

    /// A route whose work belongs to a later piece of the product: it says so with a 501.
    public mutating func notImplemented(_ method: String, _ pattern: String, _ description: String) {
        on(method, pattern) { _, _, _, _ in throw APIError.notImplemented(description) }
    }
}

enum RoutePattern {
    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// A route table without context is a handler on its own (test probes, unauthenticated tools).
extension RouteTable: RequestHandler where Context == Void {
    public mutating func on(
        _ method: String, _ pattern: String, _ handler: @escaping @Sendable (FunctionRequest, Parameters, ResponseWriter) async throws -> Void
    ) {
        on(method, pattern) { request, parameters, _, writer in try await handler(request, parameters, writer) }
    }

    public func handle(_ request: FunctionRequest, _ writer: ResponseWriter) async throws {
        try await route(request, context: (), writer)
    }
}
