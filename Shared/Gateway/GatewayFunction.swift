import Logging

/// One of the gateway's functions: a name and its routes. Its executable's `main.swift` is
/// `await FunctionRuntime.main(TheFunction.self)`.
public protocol GatewayFunction {
    static var name: String { get }
    static func routes(_ router: inout Router<FunctionContext>)
}

extension GatewayFunction {
    /// The function's handler: authentication, routing, error answers and the usage row.
    public static func makeHandler(services: GatewayServices) -> FunctionHandler {
        var router = Router<FunctionContext>()
        routes(&router)
        return FunctionHandler(services: services, router: router)
    }
}

extension FunctionRuntime {
    public static func main<Function: GatewayFunction>(_ function: Function.Type) async -> Never {
        await main(name: Function.name) { environment, logger in
            Function.makeHandler(services: await GatewayServices(functionName: Function.name, environment: environment, logger: logger))
        }
    }
}
