import FunctionRuntime
import Gateway

/// What each function serves, as local-runner's URLs: its router's routes (`POST /functions/v1/providers/{id}/test`),
/// and the probes its handler answers before routing (health; metrics on usage-stats).
enum FunctionEndpoints {
    static let functions: [any GatewayFunction.Type] = [
        ChatFunction.self, SyncModelsFunction.self, UsageStatsFunction.self, ProvidersFunction.self, ModelsFunction.self,
    ]

    static let prefix = "/functions/v1/"

    /// `METHOD /functions/v1/<name><pattern>` for every route of every function's table.
    static var routes: Set<String> {
        var operations = Set<String>()
        for function in functions {
            var table = RouteTable<FunctionContext>()
            function.routes(&table)
            for (method, pattern) in table.patterns { operations.insert(operation(method, function.name, pattern)) }
        }
        return operations
    }

    static func operation(_ method: String, _ function: String, _ pattern: String) -> String {
        "\(method) \(prefix)\(function)\(pattern == "/" ? "" : pattern)"
    }

    /// `GET /functions/v1/<name><path>` for every path a function answers before routing (health; metrics).
    static var probes: Set<String> {
        Set(functions.flatMap { function in function.probes.flatMap { probe in probe.paths.map { operation("GET", function.name, $0) } } })
    }
}
