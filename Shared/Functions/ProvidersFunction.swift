/// `providers`: the caller's provider keys: add, test, update, remove.
public enum ProvidersFunction: GatewayFunction {
    public static let name = "providers"

    public static func routes(_ router: inout Router<FunctionContext>) {
        router.notImplemented("GET", "/", "Listing providers (providers)")
        router.notImplemented("POST", "/", "Adding a provider key (providers)")
        router.notImplemented("GET", "/{id}", "Reading a provider (providers)")
        router.notImplemented("PUT", "/{id}", "Updating a provider (providers)")
        router.notImplemented("DELETE", "/{id}", "Removing a provider (providers)")
        router.notImplemented("POST", "/{id}/test", "Testing a provider key (providers)")
        router.notImplemented("GET", "/{id}/models", "A provider's models (providers)")
    }
}
