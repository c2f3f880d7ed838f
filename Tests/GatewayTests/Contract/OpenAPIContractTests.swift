import Testing

/// `docs/openapi.yaml` and the functions' routers describe the same API: a route added without its
/// spec, or a spec entry nothing serves, fails here.
@Suite struct OpenAPIContractTests {
    @Test func everyRouteOfEveryFunctionIsInTheSpec() throws {
        let spec = try OpenAPISpec.load()
        let missing = FunctionEndpoints.routes.subtracting(spec.operations)
        #expect(missing.isEmpty, "routes docs/openapi.yaml lacks: \(missing.sorted())")
    }

    @Test func everyOperationOfTheSpecIsServedByItsFunction() throws {
        let spec = try OpenAPISpec.load()
        let routes = FunctionEndpoints.routes
        let unserved = spec.operations.filter { !routes.contains($0) && !FunctionEndpoints.isAnsweredBeforeRouting($0) }
        #expect(unserved.isEmpty, "operations of docs/openapi.yaml no function serves: \(unserved.sorted())")
    }

    @Test func everyFunctionsHealthProbesAreInTheSpecAndAnswered() throws {
        let spec = try OpenAPISpec.load()
        for function in FunctionEndpoints.functions {
            for path in FunctionEndpoints.healthProbes {
                let operation = FunctionEndpoints.operation("GET", function.name, path)
                #expect(spec.operations.contains(operation), "docs/openapi.yaml lacks \(operation)")
                #expect(FunctionEndpoints.isAnsweredBeforeRouting(operation), "\(function.name) does not answer \(path) before routing")
            }
        }
    }
}
