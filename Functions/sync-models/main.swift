import Shared

await FunctionRuntime.main(SyncModelsFunction.self)
