/// What a gateway function's route receives with each request.
public struct FunctionContext: Sendable {
    public let caller: Caller
    public let services: GatewayServices
    /// The request's usage row, written when the request ends.
    public let usage: RequestUsage

    /// What the response must never contain: the keys this request opened or was given.
    public let secrets: SecretRedactor

    public init(caller: Caller, services: GatewayServices, usage: RequestUsage, secrets: SecretRedactor = SecretRedactor()) {
        self.caller = caller
        self.services = services
        self.usage = usage
        self.secrets = secrets
    }

    public func store() throws -> any Store { try services.store() }

    /// The key vault, wired so that every key it opens or seals is redacted from this request's response.
    public func sealer() throws -> ProviderKeySealer { try services.sealer().reporting(to: secrets) }
}
