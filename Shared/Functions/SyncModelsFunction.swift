/// `sync-models`: refreshes the model catalogue from the caller's aggregators.
public enum SyncModelsFunction {
    public static let name = "sync-models"

    public static func makeHandler() -> Router {
        var router = Router()
        router.notImplemented("POST", "/", "Model catalogue sync (sync-models)")
        return router
    }
}
