import Gateway

await SyncModelsFunction.main()
