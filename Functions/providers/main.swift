import Gateway

await ProvidersFunction.main()
