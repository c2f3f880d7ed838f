/// What a gateway function's route receives with each request.
public struct FunctionContext: Sendable {
    public let caller: Caller
    public let services: GatewayServices
    /// The request's usage row, written when the request ends.
    public let usage: RequestUsage

    public func store() throws -> any Store { try services.store() }
}
