import Shared

await FunctionRuntime.main(ModelsFunction.self)
