import Shared

await FunctionRuntime.main(name: ProvidersFunction.name, handler: ProvidersFunction.makeHandler())
