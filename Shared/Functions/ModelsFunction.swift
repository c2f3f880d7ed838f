/// `models`: browse and manage models and aliases.
public enum ModelsFunction: GatewayFunction {
    public static let name = "models"

    public static func routes(_ router: inout Router<FunctionContext>) {
        // Literal routes first: `/discover` and `/aliases` must not be taken for an `{id}`.
        router.notImplemented("GET", "/discover", "Model discovery (models)")
        router.notImplemented("GET", "/aliases", "Listing aliases (models)")
        router.notImplemented("GET", "/aliases/{alias}", "Reading an alias (models)")
        router.notImplemented("PUT", "/aliases/{alias}", "Setting an alias (models)")
        router.notImplemented("DELETE", "/aliases/{alias}", "Removing an alias (models)")
        router.notImplemented("GET", "/", "Listing models (models)")
        router.notImplemented("POST", "/", "Adding a custom model (models)")
        router.notImplemented("GET", "/{id}", "Reading a model (models)")
        router.notImplemented("PUT", "/{id}", "Updating a model (models)")
        router.notImplemented("DELETE", "/{id}", "Removing a model (models)")
    }
}
