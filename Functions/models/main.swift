import Gateway

await ModelsFunction.main()
