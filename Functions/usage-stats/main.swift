import Shared

await FunctionRuntime.main(UsageStatsFunction.self)
