import Gateway

await ChatFunction.main()
