import FunctionRuntime

/// Cross-origin access for a console served from another origin: only the origins listed in
/// `GATEWAY_CORS_ORIGINS` (comma-separated, exact `scheme://host[:port]`) are answered; by default none.
/// A preflight carries no credentials, so it is answered before authentication.
package struct CORSPolicy: Sendable {
    package let origins: Set<String>

    package init(environment: [String: String]) {
        let listed = (environment["GATEWAY_CORS_ORIGINS"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: " ") }
            .filter { !$0.isEmpty && $0 != "*" && $0 != "null" }  // a wildcard or opaque origin never opens the API
        origins = Set(listed.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    package func allows(_ origin: String) -> Bool { origins.contains(origin) }

    static func isPreflight(_ request: FunctionRequest) -> Bool {
        request.method == "OPTIONS" && request.headers["Origin"] != nil && request.headers["Access-Control-Request-Method"] != nil
    }

    /// Headers every answer to an allowed origin carries (the ones a console reads must be exposed).
    static func responseHeaders(origin: String) -> [(String, String)] {
        [
            ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
            ("Access-Control-Expose-Headers", "X-Request-ID, X-Budget-Alert, Retry-After, X-RateLimit-Reset, Content-Disposition"),
        ]
    }

    static let preflightHeaders: HTTPHeaders = [
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, x-api-key, anthropic-version, anthropic-beta",
        "Access-Control-Max-Age": "600",
    ]

    static func refusal(_ origin: String) -> APIError {
        APIError(status: 403, message: "Origin '\(origin.prefix(200))' is not allowed (GATEWAY_CORS_ORIGINS).", code: "cors_origin_not_allowed")
    }
}
