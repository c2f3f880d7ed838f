import Shared

await FunctionRuntime.main(ProvidersFunction.self)
