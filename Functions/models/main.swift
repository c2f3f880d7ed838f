import Shared

await FunctionRuntime.main(name: ModelsFunction.name, handler: ModelsFunction.makeHandler())
