import Foundation
import FunctionRuntime
import TestSupport
import Testing

/// `GET /health` and `/health/live` on every function: no token, no usage row, 503 with a reason
/// when the store cannot serve.
@Suite struct HealthCheckTests {
    static let functions = ["v1-chat", "sync-models", "usage-stats", "providers", "models"]

    private static func probe(_ function: String, _ path: String, environment: [String: String]) throws -> CGIInvocation.Result {
        var variables = environment
        variables["REQUEST_METHOD"] = "GET"
        variables["PATH_INFO"] = path
        return try CGIInvocation(executable: BuildProducts.path(function), environment: variables).run()
    }

    @Test(arguments: functions)
    func aMigratedStoreIsReadyWithoutATokenAndTheProbeLeavesNoRow(_ function: String) throws {
        let gateway = try GatewayTestEnvironment(label: "health")
        let ready = try Self.probe(function, "/health", environment: gateway.variables)
        #expect(ready.head?.status == 200, "\(ready.text)")
        #expect(ready.json?["ready"] as? Bool == true)
        #expect(ready.json?["function"] as? String == function)
        let live = try Self.probe(function, "/health/live", environment: gateway.variables)
        #expect(live.head?.status == 200, "\(live.text)")
        #expect(live.json?["live"] as? Bool == true)
        #expect(try gateway.usageRows().isEmpty)
    }

    @Test(arguments: functions)
    func anUnmigratedDatabaseIsLiveButNotReady(_ function: String) throws {
        let gateway = try GatewayTestEnvironment(label: "health-unmigrated")
        var environment = gateway.variables
        environment["GATEWAY_DATABASE_URL"] = "sqlite://\(gateway.directory)/empty.db"
        let ready = try Self.probe(function, "/health", environment: environment)
        #expect(ready.head?.status == 503, "\(ready.text)")
        #expect(ready.json?["ready"] as? Bool == false)
        #expect(ready.json?["reason"] as? String == "database_unavailable")
        #expect(!ready.text.contains(gateway.jwtSecret) && !ready.text.contains(gateway.directory), "the answer names no secret or path")
        let live = try Self.probe(function, "/health/live", environment: environment)
        #expect(live.head?.status == 200, "\(live.text)")
    }

    @Test func aFastCGIWorkerAnswersTheProbe() throws {
        let bed = try ChatTestbed(.fastcgi)
        let client = try bed.runnerClient()  // starts local-runner with one request of its own
        let before = try bed.rows(waitingFor: 1).count
        let response = try client.request("GET", "/functions/v1/v1-chat/health")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json?["ready"] as? Bool == true)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try bed.rows().count == before, "the probe left a usage row")
    }
}
