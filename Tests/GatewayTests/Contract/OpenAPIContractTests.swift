import Testing

/// `docs/openapi.yaml` and the functions describe the same API: a route or probe added without its
/// spec, or a spec entry nothing serves, fails here.
@Suite struct OpenAPIContractTests {
    @Test func everyRouteOfEveryFunctionIsInTheSpec() throws {
        let spec = try OpenAPISpec.load()
        let missing = FunctionEndpoints.routes.subtracting(spec.operations)
        #expect(missing.isEmpty, "routes docs/openapi.yaml lacks: \(missing.sorted())")
    }

    @Test func everyProbeOfEveryFunctionIsInTheSpec() throws {
        let spec = try OpenAPISpec.load()
        let missing = FunctionEndpoints.probes.subtracting(spec.operations)
        #expect(missing.isEmpty, "probes (health, metrics) docs/openapi.yaml lacks: \(missing.sorted())")
    }

    @Test func everyOperationOfTheSpecIsServedByItsFunction() throws {
        let spec = try OpenAPISpec.load()
        let unserved = spec.operations.subtracting(FunctionEndpoints.routes).subtracting(FunctionEndpoints.probes)
        #expect(unserved.isEmpty, "operations of docs/openapi.yaml no function serves: \(unserved.sorted())")
    }
}
