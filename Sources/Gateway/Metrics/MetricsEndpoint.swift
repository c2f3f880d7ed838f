import FunctionRuntime
import GatewayStore

/// `GET /metrics` on usage-stats: Prometheus' text exposition, computed at scrape time from the store's
/// counters, so any process (a CGI one included) answers for all of them. Never open: the scraper sends
/// `GATEWAY_METRICS_TOKEN` as its bearer token, or a service-role access token. Like the health probes,
/// a scrape leaves no usage row. `GATEWAY_METRICS_USER_LABELS=true` adds each user's chat totals.
package struct MetricsEndpoint: Probe {
    /// A scrape token shorter than this is refused as a setting (it would be guessable).
    static let minimumTokenLength = 16

    package init() {}

    package let paths = ["/metrics"]

    package func answer(_ request: FunctionRequest, services: GatewayServices, _ writer: ResponseWriter) async {
        defer { try? writer.finish() }
        do {
            try await Self.authorize(request, services: services)
            let perUser = ["1", "true", "yes"].contains(services.environment["GATEWAY_METRICS_USER_LABELS"]?.lowercased() ?? "")
            let metrics = try await services.withStore { store in try store.usageMetrics(Caller.gateway, perUser: perUser) }
            try writer.writeHead(status: 200, headers: ["Content-Type": MetricsExposition.contentType, "Cache-Control": "no-store"])
            if request.method != "HEAD" { try writer.write(MetricsExposition.render(metrics)) }
        } catch {
            let refusal = APIError.mapping(error)
            if refusal.status == 401 || refusal.status == 403 {
                services.logger.warning("metrics scrape refused", metadata: ["code": "\(refusal.code ?? refusal.type)"])
            }
            try? writer.respond(error: refusal)
        }
    }

    static func authorize(_ request: FunctionRequest, services: GatewayServices) async throws {
        if let expected = scrapeToken(services), let presented = request.bearerToken, constantTimeEqual(presented, expected) { return }
        let caller = try await services.authenticate(request)
        guard caller.isService else {
            throw APIError(
                status: 403, message: "Metrics are served to the scrape token (GATEWAY_METRICS_TOKEN) or the service role.", code: "forbidden")
        }
    }

    private static func scrapeToken(_ services: GatewayServices) -> String? {
        guard let token = services.environment["GATEWAY_METRICS_TOKEN"], !token.isEmpty else { return nil }
        guard token.utf8.count >= minimumTokenLength else {
            services.logger.error("GATEWAY_METRICS_TOKEN is ignored: it must be at least \(minimumTokenLength) characters")
            return nil
        }
        return token
    }

    /// Compares every byte whatever the first difference, so the time taken says nothing about the token.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
