import FunctionRuntime
import GatewayProviders
import Logging

/// One of the gateway's functions: a name and its routes. Its executable's `main.swift` is
/// `await TheFunction.main()`.
package protocol GatewayFunction {
    static var name: String { get }
    static func routes(_ routes: inout RouteTable<FunctionContext>)
    /// The client API whose error shape a request's errors are answered in (OpenAI's unless a route speaks another).
    static func clientFormat(for request: FunctionRequest) -> any ClientFormat
    /// What the function answers before authentication and without a usage row (the health probes unless it adds more).
    static var probes: [any Probe] { get }
}

extension GatewayFunction {
    package static func clientFormat(for request: FunctionRequest) -> any ClientFormat { ChatCompletionsFormat() }
    package static var probes: [any Probe] { [HealthCheck()] }
}

extension GatewayFunction {
    /// The function's handler: authentication, routing, error answers and the usage row.
    package static func makeHandler(services: GatewayServices) -> FunctionHandler {
        var table = RouteTable<FunctionContext>()
        routes(&table)
        return FunctionHandler(services: services, routes: table, clientFormat: { clientFormat(for: $0) }, probes: probes)
    }
}

extension GatewayFunction {
    /// Serves the function under whichever contract started the process (CGI or FastCGI).
    @MainActor
    package static func main() async -> Never {
        await FunctionProcess.main(name: name) { environment, logger in
            makeHandler(services: await GatewayServices(functionName: name, environment: environment, logger: logger))
        }
    }
}
