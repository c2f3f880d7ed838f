import Shared

await FunctionRuntime.main(name: SyncModelsFunction.name, handler: SyncModelsFunction.makeHandler())
