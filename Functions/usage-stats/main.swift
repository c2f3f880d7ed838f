import Shared

await FunctionRuntime.main(name: UsageStatsFunction.name, handler: UsageStatsFunction.makeHandler())
