import Gateway

await UsageStatsFunction.main()
