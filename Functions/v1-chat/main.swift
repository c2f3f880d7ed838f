import Shared

await FunctionRuntime.main(name: ChatFunction.name, handler: ChatFunction.makeHandler())
