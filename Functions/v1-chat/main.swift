import Shared

await FunctionRuntime.main(ChatFunction.self)
