import FunctionRuntime
import Gateway

/// What each function serves, as local-runner's URLs: its router's routes (`POST /functions/v1/providers/{id}/test`),
/// and the probes its handler answers before routing (health; metrics on usage-stats).
enum FunctionEndpoints {
    static let functions: [any GatewayFunction.Type] = [
        ChatFunction.self, SyncModelsFunction.self, UsageStatsFunction.self, ProvidersFunction.self, ModelsFunction.self,
    ]

    /// Every function answers these before routing, without a token.
    static let healthProbes = ["/health", "/health/live"]

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

    /// True when the function named in `operation`'s URL answers it with a probe (before routing).
    static func isAnsweredBeforeRouting(_ operation: String) -> Bool {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[1].hasPrefix(prefix) else { return false }
        let rest = parts[1].dropFirst(prefix.count)
        let name = String(rest.prefix { $0 != "/" })
        let path = String(rest.dropFirst(name.count))
        guard let function = functions.first(where: { $0.name == name }) else { return false }
        let request = FunctionRequest(method: parts[0], path: path.isEmpty ? "/" : path)
        return function.probes.contains { $0.answers(request) }
    }
}
