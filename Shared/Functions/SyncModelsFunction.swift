/// `sync-models`: refreshes the model catalogue from the caller's aggregators.
public enum SyncModelsFunction: GatewayFunction {
    public static let name = "sync-models"

    public static func routes(_ router: inout Router<FunctionContext>) {
        router.notImplemented("POST", "/", "Model catalogue sync (sync-models)")
    }
}
