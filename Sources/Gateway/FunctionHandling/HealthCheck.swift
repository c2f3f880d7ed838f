import FunctionRuntime
import GatewayStore

/// `GET /health` on every function, for load balancers and supervisors: no token, no secrets, and
/// no usage row (a probe every few seconds is not usage, and would swamp the statistics).
/// - `/health/live`: the process answers (200).
/// - `/health`: ready, i.e. the store is reachable and migrated for this build (200), or 503 with
///   the reason (`database_unavailable`) when it is not.
package struct HealthCheck: Probe {
    package init() {}

    package let paths = ["/health", "/health/live"]

    package func answer(_ request: FunctionRequest, services: GatewayServices, _ writer: ResponseWriter) async {
        let headers: HTTPHeaders = ["Cache-Control": "no-store"]
        let function = JSONValue.string(services.functionName)
        defer { try? writer.finish() }
        if request.path == "/health/live" {
            try? writer.respond(json: ["status": "ok", "function": function, "live": true], headers: headers)
            return
        }
        do {
            // A query, not only an open store: a database that went away after start-up fails here.
            _ = try await services.withStore { store in try store.routingVersion(Caller.gateway) }
            try? writer.respond(json: ["status": "ok", "function": function, "live": true, "ready": true], headers: headers)
        } catch {
            let reason = APIError.mapping(error)
            try? writer.respond(
                status: 503,
                json: [
                    "status": "unavailable", "function": function, "live": true, "ready": false,
                    "reason": .string(reason.code ?? reason.type), "message": .string(reason.message),
                ],
                headers: headers)
        }
    }
}
