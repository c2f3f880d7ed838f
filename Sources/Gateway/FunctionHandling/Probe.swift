import FunctionRuntime

/// An endpoint answered before a request is authenticated as a user and without a usage row: what
/// load balancers, supervisors and scrapers call every few seconds, which is not usage (it would swamp
/// the statistics) and needs no user. Every function has the health probes; usage-stats has metrics.
package protocol Probe: Sendable {
    /// The paths it answers, with GET (and HEAD).
    var paths: [String] { get }
    func answer(_ request: FunctionRequest, services: GatewayServices, _ writer: ResponseWriter) async
}

extension Probe {
    package func answers(_ request: FunctionRequest) -> Bool {
        (request.method == "GET" || request.method == "HEAD") && paths.contains(request.path)
    }
}
