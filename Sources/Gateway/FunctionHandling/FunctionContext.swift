import FunctionRuntime
import GatewayStore

/// What a gateway function's route receives with each request.
package struct FunctionContext: Sendable {
    package let caller: Caller
    package let services: GatewayServices
    /// The request's usage row, written when the request ends.
    package let usage: RequestUsage

    /// What the response must never contain: the keys this request opened or was given.
    package let secrets: SecretRedactor

    package init(caller: Caller, services: GatewayServices, usage: RequestUsage, secrets: SecretRedactor = SecretRedactor()) {
        self.caller = caller
        self.services = services
        self.usage = usage
        self.secrets = secrets
    }

    /// The store, for code already on the store's thread (inside `withStore`, or a route added with `onStore`).
    package func store() throws -> any Store { try services.store() }

    /// Runs `body` with the store on the store's thread (`GatewayServices.withStore`); the request suspends meanwhile.
    package func withStore<T: Sendable>(_ body: @escaping @Sendable (any Store) throws -> T) async throws -> T {
        try await services.withStore(body)
    }

    /// The key vault, wired so that every key it opens or seals is redacted from this request's response.
    package func sealer() throws -> ProviderKeySealer { try services.sealer().reporting(to: secrets) }
}
